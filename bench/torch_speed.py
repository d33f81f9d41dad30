"""PyTorch CPU eager speed for the inference benchmark (bench/sections/inference.ts).

Builds the architecture from training/kneegrade_train/models.py, loads the checkpoint's (EMA) weights
when one is given, and times batch 1 and 16 forward passes with the same thread count as the
onnxruntime side. Optionally exports the same weights to ONNX (for when no exported default model
exists yet). Prints one JSON line.

  .venv/bin/python bench/torch_speed.py --arch resnet18 --size 224 [--ckpt training/runs/resnet18/best.ckpt]
      [--threads 2] [--export-onnx out.onnx]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from kneegrade_train.models import build_model  # noqa: E402


def images_per_s(model: torch.nn.Module, batch: int, size: int, min_runs: int, min_s: float) -> float:
    x = torch.randn(batch, 3, size, size)
    with torch.inference_mode():
        for _ in range(2):  # warm-up: allocator and oneDNN primitive caches
            model(x)
        runs = 0
        t0 = time.perf_counter()
        while runs < min_runs or time.perf_counter() - t0 < min_s:
            model(x)
            runs += 1
        dt = time.perf_counter() - t0
    return runs * batch / dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--size", type=int, default=0, help="input side (0: the checkpoint's)")
    ap.add_argument("--ckpt", type=Path)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--min-seconds", type=float, default=3.0)
    ap.add_argument("--export-onnx", type=Path)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    weights = "random init"
    if a.ckpt and a.ckpt.is_file():
        from kneegrade_train.checkpoint import load_checkpoint

        ck = load_checkpoint(a.ckpt)
        model = ck.model
        a.size = a.size or ck.size
        weights = str(a.ckpt.relative_to(ROOT) if a.ckpt.is_absolute() and ROOT in a.ckpt.parents else a.ckpt)
    else:
        model = build_model(a.arch)
    a.size = a.size or 224
    model.eval()
    if a.export_onnx:
        from kneegrade_train.onnx_export import export_onnx

        export_onnx(model, a.size, a.export_onnx)
    b1 = images_per_s(model, 1, a.size, a.runs * 4, a.min_seconds)
    b16 = images_per_s(model, 16, a.size, a.runs, a.min_seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"arch": a.arch, "size": a.size, "weights": weights, "threads": a.threads, "torch": torch.__version__,
                      "batch1": b1, "batch16": b16, "peakRssMb": peak_mb}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
