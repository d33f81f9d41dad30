"""Parity fixtures: for a few crops, the exact model input tensor and the PyTorch logits, so that
KneeGrade's TypeScript preprocessing and onnxruntime-node inference can be checked against PyTorch.

Layout (``<dir>/manifest.json`` plus raw float32 little-endian tensors)::

    {"schema": "kneegrade-parity/1", "dataRoot": "shared/data/knee-kl/kneeKL224-clahe",
     "images": [{"id", "source", "grade", "cropSha256", "appliedSteps"}],
     "inputs": [{"image", "size", "file", "shape": [1,1,S,S], "channelsReplicated": 3}],
     "models": [{"name", "onnxSha256", "precision", "results":
                 [{"image", "input", "logitsTorch", "logitsOnnx", "probsTtaTorch"}]}]}

``source`` is the crop's path relative to ``dataRoot`` (itself relative to the folder that holds the
repository, i.e. ``<repo>/../shared/data/...``, or absolute); the pixels themselves are not copied;
``cropSha256`` is the sha256 of its 224x224 uint8 grey pixels, row-major. The stored input holds one
channel because the model input replicates it to three. Several models of the same input size
share one input file; writing a model replaces only that model's entry.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from .onnx_eval import session
from .preprocess import to_input

SCHEMA = "kneegrade-parity/1"


def pick_images(y: np.ndarray, grades=(0, 2, 4), count: int = 3) -> list[int]:
    """Deterministic picks: the first image of each wanted grade, topped up with others if absent."""
    picks: list[int] = []
    for g in grades:
        hits = np.flatnonzero(y == g)
        if len(hits):
            picks.append(int(hits[0]))
    for i in range(len(y)):
        if len(picks) >= count:
            break
        if i not in picks:
            picks.append(i)
    return picks[:count]


@torch.no_grad()
def model_parity(
    model: nn.Module, onnx_path: Path, crops: np.ndarray, size: int, tolerance: float = 1e-4
) -> list[dict]:
    """Torch vs onnxruntime logits per crop; raises if any differs by more than ``tolerance``."""
    sess = session(onnx_path)
    rows = []
    for crop in crops:
        x = to_input(torch.from_numpy(crop[None]), size)
        lt = model.eval()(x)
        lo = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
        diff = float(np.abs(lt.numpy() - lo).max())
        if diff > tolerance:
            raise AssertionError(f"{onnx_path}: onnxruntime logits differ from PyTorch by {diff:.2e} > {tolerance}")
        p = (lt.softmax(1) + model(torch.flip(x, dims=[3])).softmax(1)) / 2
        rows.append({"x": x, "logitsTorch": lt[0].tolist(), "logitsOnnx": lo[0].tolist(),
                     "probsTtaTorch": p[0].tolist(), "maxAbsDiff": diff})
    return rows


def write_fixture(
    out_dir: Path, *, model_name: str, onnx_path: Path, precision: str, model: nn.Module, size: int,
    crops: np.ndarray, labels: np.ndarray, sources: list[str], onnx_sha256: str, data_root: str, applied_steps=("clahe",),
) -> Path:
    out_dir = Path(out_dir)
    (out_dir / "inputs").mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest.setdefault("schema", SCHEMA)
    if manifest.get("dataRoot", data_root) != data_root:
        raise ValueError(f"{manifest_path}: holds crops from {manifest['dataRoot']}, not {data_root}; use another folder")
    manifest["dataRoot"] = data_root
    images = {im["id"]: im for im in manifest.get("images", [])}
    inputs = {(i["image"], i["size"]): i for i in manifest.get("inputs", [])}
    models = {m["name"]: m for m in manifest.get("models", [])}

    rows = model_parity(model, onnx_path, crops, size)
    results = []
    for crop, grade, src, row in zip(crops, labels, sources, rows):
        image_id = f"kl{int(grade)}-{Path(src).stem}"
        images[image_id] = {"id": image_id, "source": src, "grade": int(grade),
                            "cropSha256": hashlib.sha256(np.ascontiguousarray(crop, dtype=np.uint8).tobytes()).hexdigest(),
                            "appliedSteps": list(applied_steps)}
        rel = f"inputs/{image_id}-s{size}.f32"
        one_channel = row["x"][:, :1].numpy().astype("<f4")
        (out_dir / rel).write_bytes(one_channel.tobytes())
        inputs[(image_id, size)] = {"image": image_id, "size": size, "file": rel, "shape": [1, 1, size, size],
                                    "dtype": "float32-le", "channelsReplicated": 3}
        results.append({"image": image_id, "input": rel, "logitsTorch": row["logitsTorch"],
                        "logitsOnnx": row["logitsOnnx"], "probsTtaTorch": row["probsTtaTorch"],
                        "maxAbsDiffTorchVsOnnx": row["maxAbsDiff"]})
    models[model_name] = {"name": model_name, "onnxSha256": onnx_sha256, "precision": precision, "size": size,
                          "results": results}
    manifest["images"] = sorted(images.values(), key=lambda d: d["id"])
    manifest["inputs"] = sorted(inputs.values(), key=lambda d: (d["image"], d["size"]))
    manifest["models"] = sorted(models.values(), key=lambda d: d["name"])
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest_path
