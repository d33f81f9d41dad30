"""int8 variant of an exported KneeGrade model, kept only if it holds the validation QWK.

Static QDQ quantisation with onnxruntime (per-channel weights, activations calibrated on train-split
knees), then the fp32 and int8 files are both evaluated on the whole val split with the card's TTA,
through onnxruntime, as the app runs them. Prints one JSON line; the int8 file is written to --out.
The quantisation and evaluation are kneegrade_train.quantize's (which also ships int8 model folders).

  .venv/bin/python bench/quantize_int8.py --onnx resources/models/resnet18-kl/model.onnx --size 224
      --data ../shared/data/knee-kl/kneeKL224-clahe --out /tmp/resnet18-int8.onnx
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from kneegrade_train.data import load_split_cached  # noqa: E402
from kneegrade_train.quantize import CALIBRATION_METHODS, evaluate, quantize_int8  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", type=Path, required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--calib", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-val", type=int, default=None, help="evaluate on a seeded subset (smoke runs only)")
    ap.add_argument("--calibrate", choices=sorted(CALIBRATION_METHODS), default="percentile")
    ap.add_argument("--keep-ends-fp32", action=argparse.BooleanOptionalAction, default=True,
                    help="leave the first convolution and the classifier in float (the usual accuracy-sensitive layers)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cache = Path(tempfile.gettempdir()) / "kneegrade-bench-cache"
    xtr, ytr, _ = load_split_cached(a.data, "train", cache, limit=a.calib)
    xv, yv, _ = load_split_cached(a.data, "val", cache, limit=a.limit_val)
    q = quantize_int8(a.onnx, a.out, xtr, a.size, calibrate=a.calibrate, keep_ends_fp32=a.keep_ends_fp32)
    res = {"onnx": str(a.onnx), "int8File": str(a.out), "quantiseSeconds": q["quantiseSeconds"], "valN": int(len(yv)),
           "calibrate": a.calibrate, "keptFloat": q["keptFloat"]}
    for key, path in (("fp32", a.onnx), ("int8", a.out)):
        s = evaluate(path, xv, yv, a.size, tta=True, threads=a.threads)
        res[key] = {"qwk": float(s["qwk"]), "exactAccuracy": float(s.get("exactAccuracy", float("nan"))), "bytes": path.stat().st_size}
    res["qwkDelta"] = res["int8"]["qwk"] - res["fp32"]["qwk"]
    res["keep"] = abs(res["qwkDelta"]) <= 0.01
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
