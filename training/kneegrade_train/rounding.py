"""Make a model whose weights are exactly what an fp16-weight ONNX file stores.

BatchNorm is folded into the preceding convolution first (the ONNX exporter would fold it anyway,
and rounding must happen after folding, or the file's weights differ from the rounded model's),
then every floating-point parameter and buffer is rounded to the nearest float16 and kept as
float32. Computation stays float32; only the stored weights lose precision. This rounded PyTorch
model is the exact reference for the fp16 ONNX file, so parity can still be checked to 1e-4.
"""

from __future__ import annotations

import copy

import torch
import torch.nn as nn


def _fused_conv(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nn.Conv2d:
    fused = copy.deepcopy(conv)
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    fused.weight = nn.Parameter(conv.weight * scale[:, None, None, None])
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    fused.bias = nn.Parameter((bias - bn.running_mean) * scale + bn.bias)
    return fused


@torch.no_grad()
def fold_batchnorm(model: nn.Module) -> nn.Module:
    """Return an eval-mode copy with every Conv2d->BatchNorm2d pair folded into the conv.

    Pairs are found in nn.Sequential containers (conv at i, BN at i+1) and as sibling attributes
    named ``convN``/``bnN`` (torchvision's ResNet naming). The BN is replaced by nn.Identity.
    """
    model = copy.deepcopy(model).eval()
    for module in model.modules():
        if isinstance(module, nn.Sequential):
            kids = list(module._modules.items())
            for (ka, a), (kb, b) in zip(kids, kids[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    module._modules[ka] = _fused_conv(a, b)
                    module._modules[kb] = nn.Identity()
        for name, child in list(module._modules.items()):
            if name.startswith("conv") and isinstance(child, nn.Conv2d):
                bn_name = "bn" + name[len("conv"):]
                bn = module._modules.get(bn_name)
                if isinstance(bn, nn.BatchNorm2d):
                    module._modules[name] = _fused_conv(child, bn)
                    module._modules[bn_name] = nn.Identity()
    left = [n for n, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]
    if left:
        raise ValueError(f"BatchNorm layers that could not be folded: {left}")
    return model


@torch.no_grad()
def round_weights_fp16(model: nn.Module) -> nn.Module:
    """An eval-mode copy with BN folded and all float weights rounded to float16 (kept float32)."""
    has_bn = any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    out = fold_batchnorm(model) if has_bn else copy.deepcopy(model).eval()
    for t in list(out.parameters()) + list(out.buffers()):
        if t.dtype.is_floating_point:
            h = t.to(torch.float16)
            if not torch.isfinite(h).all():
                raise ValueError("a weight overflows float16; keep this model in float32")
            t.copy_(h.to(t.dtype))
    return out
