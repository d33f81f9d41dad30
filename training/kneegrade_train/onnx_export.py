"""PyTorch -> ONNX (opset 17, dynamic batch) and the fp16-weights variant.

The graph's interface is fixed by KneeGrade's model card contract: one float32 input ``input``
(N,3,S,S) and one float32 output (``logits`` or ``embedding``), batch axis dynamic.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def export_onnx(
    model: nn.Module,
    size: int,
    path: Path | str,
    output_name: str = "logits",
    metadata: dict[str, str] | None = None,
) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    dummy = torch.zeros(2, 3, size, size)
    with warnings.catch_warnings():
        # The TorchScript-based exporter is deprecated in favour of the dynamo one, which needs
        # onnxscript; this graph (convs, norms, matmuls) exports identically with either.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            model,
            (dummy,),
            str(path),
            dynamo=False,
            opset_version=OPSET,
            input_names=["input"],
            output_names=[output_name],
            dynamic_axes={"input": {0: "batch"}, output_name: {0: "batch"}},
            do_constant_folding=True,
        )
    proto = onnx.load(str(path))
    if metadata:
        del proto.metadata_props[:]
        for k, v in metadata.items():
            proto.metadata_props.add(key=k, value=str(v))
    proto.producer_name = "kneegrade-train"
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, str(path))
    return path


def to_fp16_weights(src: Path | str, dst: Path | str, min_elements: int = 16) -> dict:
    """Store float32 initializers as float16, each followed by a Cast back to float32.

    The graph's inputs, outputs and arithmetic stay float32 (onnxruntime folds the Casts when it
    loads the model), so only the file shrinks and the weights lose precision. Small tensors
    (scalars such as LayerNorm epsilons) stay float32: they cost nothing and fp16 would distort them.
    """
    proto = onnx.load(str(src))
    graph = proto.graph
    casts = []
    converted = kept = 0
    max_rel = 0.0
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init)
        half = arr.astype(np.float16)
        if arr.size < min_elements or not np.isfinite(half).all():
            kept += 1
            continue
        back = half.astype(np.float32)
        denom = np.maximum(np.abs(arr), 1e-12)
        max_rel = max(max_rel, float((np.abs(back - arr) / denom)[np.abs(arr) > 1e-4].max(initial=0.0)))
        name = init.name
        init.CopyFrom(numpy_helper.from_array(half, name + "__fp16"))
        casts.append(helper.make_node("Cast", [name + "__fp16"], [name], to=TensorProto.FLOAT, name=name + "__cast"))
        converted += 1
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, str(dst))
    return {"converted": converted, "keptFloat32": kept, "maxRelativeRounding": max_rel}
