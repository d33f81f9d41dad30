"""int8 variant of an exported KneeGrade model, kept only if it holds the validation QWK.

Static QDQ quantisation with onnxruntime (per-channel weights, activations calibrated on train-split
knees), then the fp32 and int8 files are both evaluated on the whole val split with the card's TTA,
through onnxruntime, as the app runs them. Prints one JSON line; the int8 file is written to --out.

  .venv/bin/python bench/quantize_int8.py --onnx resources/models/resnet18-kl/model.onnx --size 224
      --data ../shared/data/knee-kl/kneeKL224-clahe --out /tmp/resnet18-int8.onnx
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from kneegrade_train.data import load_split_cached  # noqa: E402
from kneegrade_train.metrics import summary  # noqa: E402
from kneegrade_train.onnx_eval import onnx_probs  # noqa: E402
from kneegrade_train.preprocess import to_input  # noqa: E402
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static  # noqa: E402
from onnxruntime.quantization.shape_inference import quant_pre_process  # noqa: E402


class Calib(CalibrationDataReader):
    def __init__(self, x_uint8: np.ndarray, size: int, name: str):
        self.batches = iter([{name: to_input(torch.from_numpy(x_uint8[i : i + 8]), size).numpy()} for i in range(0, len(x_uint8), 8)])

    def get_next(self):
        return next(self.batches, None)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", type=Path, required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--calib", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-val", type=int, default=None, help="evaluate on a seeded subset (smoke runs only)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cache = Path(tempfile.gettempdir()) / "kneegrade-bench-cache"
    xtr, ytr, _ = load_split_cached(a.data, "train", cache, limit=a.calib)
    xv, yv, _ = load_split_cached(a.data, "val", cache, limit=a.limit_val)
    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(a.onnx), str(pre))
        t0 = time.perf_counter()
        quantize_static(
            str(pre), str(a.out), Calib(xtr, a.size, "input"), quant_format=QuantFormat.QDQ, per_channel=True,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
        )
        qsec = time.perf_counter() - t0
    res = {"onnx": str(a.onnx), "int8File": str(a.out), "quantiseSeconds": qsec, "valN": int(len(yv))}
    for key, path in (("fp32", a.onnx), ("int8", a.out)):
        p = onnx_probs(path, xv, a.size, tta=True, threads=a.threads)
        s = summary(yv, p.argmax(1))
        res[key] = {"qwk": float(s["qwk"]), "exactAccuracy": float(s.get("exactAccuracy", float("nan"))), "bytes": path.stat().st_size}
    res["qwkDelta"] = res["int8"]["qwk"] - res["fp32"]["qwk"]
    res["keep"] = abs(res["qwkDelta"]) <= 0.01
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
