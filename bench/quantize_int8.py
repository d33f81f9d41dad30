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
import onnx  # noqa: E402
from onnxruntime.quantization import (  # noqa: E402
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
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
    ap.add_argument("--calibrate", choices=["minmax", "percentile", "entropy"], default="percentile")
    ap.add_argument("--keep-ends-fp32", action=argparse.BooleanOptionalAction, default=True,
                    help="leave the first convolution and the classifier in float (the usual accuracy-sensitive layers)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cache = Path(tempfile.gettempdir()) / "kneegrade-bench-cache"
    xtr, ytr, _ = load_split_cached(a.data, "train", cache, limit=a.calib)
    xv, yv, _ = load_split_cached(a.data, "val", cache, limit=a.limit_val)
    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(a.onnx), str(pre))
        exclude: list[str] = []
        if a.keep_ends_fp32:
            nodes = onnx.load(str(pre)).graph.node
            first_conv = next((n.name for n in nodes if n.op_type == "Conv"), None)
            last_dense = next((n.name for n in reversed(nodes) if n.op_type in ("Gemm", "MatMul")), None)
            exclude = [n for n in (first_conv, last_dense) if n]
        method = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
                  "entropy": CalibrationMethod.Entropy}[a.calibrate]
        t0 = time.perf_counter()
        quantize_static(
            str(pre), str(a.out), Calib(xtr, a.size, "input"), quant_format=QuantFormat.QDQ, per_channel=True,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, calibrate_method=method,
            nodes_to_exclude=exclude,
        )
        qsec = time.perf_counter() - t0
    res = {"onnx": str(a.onnx), "int8File": str(a.out), "quantiseSeconds": qsec, "valN": int(len(yv)),
           "calibrate": a.calibrate, "keptFloat": exclude}
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
