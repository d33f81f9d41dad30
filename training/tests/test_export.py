"""BN folding, fp16-weight rounding and the ONNX files built from them."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
import torch

from kneegrade_train.models import build_model
from kneegrade_train.onnx_eval import session
from kneegrade_train.onnx_export import export_onnx, to_fp16_weights
from kneegrade_train.rounding import fold_batchnorm, round_weights_fp16


def _resnet_with_stats() -> torch.nn.Module:
    torch.manual_seed(0)
    m = build_model("resnet18")
    with torch.no_grad():  # non-trivial BN statistics, as after training
        for bn in (x for x in m.modules() if isinstance(x, torch.nn.BatchNorm2d)):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
    return m.eval()


@torch.no_grad()
def test_fold_batchnorm_preserves_outputs():
    m = _resnet_with_stats()
    folded = fold_batchnorm(m)
    assert not any(isinstance(x, torch.nn.BatchNorm2d) for x in folded.modules())
    x = torch.randn(2, 3, 64, 64)
    assert torch.allclose(m(x), folded(x), atol=1e-4, rtol=1e-4)


@torch.no_grad()
def test_rounded_weights_are_float16_values():
    r = round_weights_fp16(build_model("convnext_atto"))
    for t in r.state_dict().values():
        if t.dtype.is_floating_point:
            assert torch.equal(t, t.half().float())


@pytest.mark.parametrize("arch", ["resnet18", "convnext_atto"])
def test_onnx_fp32_and_fp16_weights_match_pytorch(arch, tmp_path):
    m = _resnet_with_stats() if arch == "resnet18" else build_model(arch).eval()
    p32 = export_onnx(m, 64, tmp_path / "fp32.onnx", metadata={"kneegrade.name": "t"})
    rounded = round_weights_fp16(m)
    export_onnx(rounded, 64, tmp_path / "rounded.onnx")
    info = to_fp16_weights(tmp_path / "rounded.onnx", tmp_path / "fp16.onnx")
    assert info["converted"] > 10 and info["maxRelativeRounding"] == 0.0  # lossless: weights were pre-rounded
    assert (tmp_path / "fp16.onnx").stat().st_size < 0.55 * p32.stat().st_size

    proto = onnx.load(str(tmp_path / "fp16.onnx"))
    assert proto.opset_import[0].version == 17
    inp, out = proto.graph.input[0], proto.graph.output[0]
    assert (inp.name, out.name) == ("input", "logits")
    assert inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT  # I/O stays float32
    assert inp.type.tensor_type.shape.dim[0].dim_param  # dynamic batch
    assert {p.key: p.value for p in onnx.load(str(p32)).metadata_props}["kneegrade.name"] == "t"

    x = torch.randn(3, 3, 64, 64)  # batch 3 != the export batch of 2
    with torch.no_grad():
        ref32, ref16 = m(x).numpy(), rounded(x).numpy()
    got32 = session(p32).run(None, {"input": x.numpy()})[0]
    got16 = session(tmp_path / "fp16.onnx").run(None, {"input": x.numpy()})[0]
    assert np.abs(got32 - ref32).max() < 1e-4
    assert np.abs(got16 - ref16).max() < 1e-4
