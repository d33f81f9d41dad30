"""Model folder -> its int8 variant as a model folder of its own, shipped only if it holds the val QWK.

    python -m kneegrade_train.quantize --model-dir ../resources/models/resnet18-kl \
        --data ../../shared/data/knee-kl/kneeKL224-clahe --out ../resources/models/resnet18-kl-int8

Static QDQ quantisation with onnxruntime: int8 weights per output channel, uint8 activations calibrated
(percentile) on ``--calib`` train-split knees; the first convolution and the classifier stay in float,
as do the graph's input and output. The source file and the int8 file are both scored on the whole val
split with the card's TTA through onnxruntime, as the app runs them. If the int8 QWK moves by more than
``--tolerance`` (0.01) nothing is written and the exit status is 1; otherwise ``<out>/model.onnx`` and
``<out>/model.json`` (the source card, renamed ``<name>-int8``, with the int8 file's sha256 and val
metrics and the quantisation recorded under ``training``) appear together, by one rename.

``bench/quantize_int8.py`` uses :func:`quantize_int8` and :func:`evaluate` from here.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import torch
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

from .card import SCHEMA, sha256_file
from .data import load_split_cached
from .metrics import summary
from .onnx_eval import onnx_probs
from .preprocess import to_input

CALIBRATION_METHODS = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
                       "entropy": CalibrationMethod.Entropy}
NAME_MAX = 64  # the card's name names a folder: ^[a-z0-9][a-z0-9._-]{0,63}$ (src/core/inference/card.ts)


class Calib(CalibrationDataReader):
    """Calibration batches of model inputs, prepared exactly as for inference.

    Batches of 8 knees, or of gcd(N, 8) when N is not a multiple of 8: onnxruntime's histogram
    calibrators (percentile, entropy) stack every batch's outputs and fail on a short last batch
    (microsoft/onnxruntime#18792). They pool all values into one histogram, so the grouping does not
    change the result; with the default 128 knees the batches are the usual 8."""

    def __init__(self, x_uint8: np.ndarray, size: int, name: str = "input", batch: int = 8):
        b = math.gcd(len(x_uint8), batch) or batch
        self.batches = iter([{name: to_input(torch.from_numpy(x_uint8[i : i + b]), size).numpy()}
                             for i in range(0, len(x_uint8), b)])

    def get_next(self):
        return next(self.batches, None)


def quantize_int8(
    src: Path | str, dst: Path | str, x_calib: np.ndarray, size: int, *, input_name: str = "input",
    calibrate: str = "percentile", keep_ends_fp32: bool = True, metadata: dict[str, str] | None = None,
) -> dict:
    """Static QDQ int8 file ``dst`` from the ONNX file ``src``: per-channel int8 weights, uint8 activations
    calibrated on ``x_calib`` ((N,H,W) uint8 crops); with ``keep_ends_fp32`` the first convolution and the
    last dense layer (the usual accuracy-sensitive ones) are left in float. ``metadata``, when given,
    replaces the file's metadata properties. Returns ``keptFloat`` (node names) and ``quantiseSeconds``."""
    with tempfile.TemporaryDirectory(prefix="kneegrade-quant-") as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(src), str(pre))
        exclude: list[str] = []
        if keep_ends_fp32:
            nodes = onnx.load(str(pre)).graph.node
            first_conv = next((n.name for n in nodes if n.op_type == "Conv"), None)
            last_dense = next((n.name for n in reversed(nodes) if n.op_type in ("Gemm", "MatMul")), None)
            exclude = [n for n in (first_conv, last_dense) if n]
        t0 = time.perf_counter()
        quantize_static(
            str(pre), str(dst), Calib(x_calib, size, input_name), quant_format=QuantFormat.QDQ, per_channel=True,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
            calibrate_method=CALIBRATION_METHODS[calibrate], nodes_to_exclude=exclude,
        )
        qsec = time.perf_counter() - t0
    if metadata is not None:
        proto = onnx.load(str(dst))
        del proto.metadata_props[:]
        for k, v in metadata.items():
            proto.metadata_props.add(key=k, value=str(v))
        onnx.save(proto, str(dst))
    return {"keptFloat": exclude, "quantiseSeconds": qsec}


def evaluate(path: Path | str, x: np.ndarray, y: np.ndarray, size: int, *, tta: bool = True, threads: int = 1) -> dict:
    """Full val metrics (metrics.summary) of an ONNX file run through onnxruntime."""
    return summary(y, onnx_probs(path, x, size, tta=tta, threads=threads).argmax(1))


def brief(m: dict) -> dict:
    return {k: m[k] for k in ("qwk", "linearKappa", "exactAccuracy", "adjacentAccuracy", "mae")}


class QuantizeError(SystemExit):
    """A refusal the CLI reports as one line (exit status 1)."""


def read_source(model_dir: Path) -> tuple[dict, Path]:
    """The source folder's card and model file, the file's sha256 checked against the card."""
    card_path = model_dir / "model.json"
    if not card_path.is_file():
        raise QuantizeError(f"{card_path}: no model card (model.json) in {model_dir}")
    try:
        card = json.loads(card_path.read_text())
    except json.JSONDecodeError as e:
        raise QuantizeError(f"{card_path}: model card is not valid JSON ({e})") from e
    if card.get("schema") != SCHEMA:
        raise QuantizeError(f"{card_path}: schema is {card.get('schema')!r}, expected {SCHEMA!r}")
    if card.get("approach") != "end-to-end":
        raise QuantizeError(f"{card_path}: approach is {card.get('approach')!r}; only end-to-end graders are "
                            "quantised here (their val QWK decides whether the int8 file ships)")
    for key in ("name", "version", "file", "sha256", "input", "training"):
        if key not in card:
            raise QuantizeError(f"{card_path}: the card has no {key!r}")
    if (card.get("validation") or {}).get("precision") == "int8" or card["name"].endswith("-int8"):
        raise QuantizeError(f"{card_path}: {card['name']} is already an int8 model")
    onnx_path = model_dir / card["file"]
    if not onnx_path.is_file():
        raise QuantizeError(f"{onnx_path}: model file named by {card_path} is missing")
    sha = sha256_file(onnx_path)
    if sha != card["sha256"]:
        raise QuantizeError(f"{onnx_path}: sha256 {sha} differs from the card's {card['sha256']} ({card_path}); "
                            "the file changed or is corrupt, refusing to quantise it")
    return card, onnx_path


def int8_card(src: dict, *, onnx_path: Path, src_metrics: dict, int8_metrics: dict, info: dict, calib_n: int,
              calibrate: str, tolerance: float, command: str) -> dict:
    """The source card made to describe the int8 file (same version, contract and training history)."""
    name, version = src["name"], src["version"]
    src_val = src.get("validation") or {}
    src_key = src_val.get("precision") or "source"
    kept = info["keptFloat"]
    kept_text = ("the first convolution and the classifier (nodes " + ", ".join(kept) + ") stay in float32"
                 if kept else "no layer is kept in float")
    note = (f"This file is the int8 (static QDQ) variant of {name} {version}: weights quantised per output channel "
            f"to int8, activations to uint8 with {calibrate} calibration on {calib_n} train-split knees; {kept_text}, "
            "as do the model's input and output.")
    card = copy.deepcopy(src)
    card["name"] = f"{name}-int8"
    card["file"] = onnx_path.name
    card["sha256"] = sha256_file(onnx_path)
    card["description"] = (src.get("description", "").rstrip() + " " + note).strip()
    card["training"] = {
        **src["training"],
        "quantiseCommand": command,
        "quantisation": {
            "source": {"name": name, "version": version, "file": src["file"], "sha256": src["sha256"]},
            "method": "onnxruntime quantize_static, QDQ format",
            "onnxruntime": onnxruntime.__version__,
            "weights": "int8, per output channel",
            "activations": "uint8",
            "calibration": f"{calibrate}, {calib_n} train-split knees (seeded subset)",
            "keptFloat": kept,
            "tolerance": tolerance,
            "qwkDelta": int8_metrics["qwk"] - src_metrics["qwk"],
        },
    }
    card["validation"] = {
        "split": "val", **int8_metrics, "tta": list(src.get("tta", [])), "evaluatedWith": "onnxruntime int8",
        "precision": "int8", "precisionComparison": {src_key: brief(src_metrics), "int8": brief(int8_metrics)},
    }
    return card


def _install(stage_from: dict[str, Path | str], out: Path, replace: bool) -> None:
    """Write the files (``model.json`` among them) into a sibling temp folder, check the model file
    against the card's sha256, then rename it to ``out`` (swapping out an old
    folder only with ``replace``), so ``out`` is either absent, the old folder, or complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    old = None
    try:
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)  # mkdtemp makes it 0700; a model folder is as readable as any other
        for name, src in stage_from.items():
            if isinstance(src, Path):
                shutil.copyfile(src, stage / name)
            else:
                (stage / name).write_text(src)
        card = json.loads((stage / "model.json").read_text())
        if sha256_file(stage / card["file"]) != card["sha256"]:
            raise QuantizeError(f"{stage / card['file']}: the copy's sha256 differs from the card's (disk full?)")
        if out.exists():
            if not replace:
                raise QuantizeError(f"{out} already exists (give --replace to swap it for the new variant)")
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(stage, out)
    except BaseException:
        if old is not None and not out.exists():
            os.rename(old, out)
            old = None
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True, type=Path, help="source model folder (model.json + model file)")
    ap.add_argument("--data", required=True, type=Path, help="data root with train/ and val/<grade>/ splits")
    ap.add_argument("--out", required=True, type=Path, help="int8 model folder to write")
    ap.add_argument("--tolerance", type=float, default=0.01, help="largest allowed |val QWK change| (default 0.01)")
    ap.add_argument("--calib", type=int, default=128, help="train-split knees for activation calibration")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-val", type=int, default=None, help="evaluate on a seeded val subset (smoke runs only)")
    ap.add_argument("--replace", action="store_true", help="replace an existing --out folder")
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parents[1] / ".cache")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    command = " ".join(shlex.quote(a) for a in ["python", "-m", "kneegrade_train.quantize",
                                                *(argv if argv is not None else sys.argv[1:])]) + " (cwd training/)"

    src, src_onnx = read_source(args.model_dir)
    name = f"{src['name']}-int8"
    if len(name) > NAME_MAX:
        raise QuantizeError(f"{args.model_dir / 'model.json'}: {name!r} would be longer than {NAME_MAX} characters")
    if args.out.exists() and not args.replace:
        raise QuantizeError(f"{args.out} already exists (give --replace to swap it for the new variant)")
    size, input_name = int(src["input"]["size"]), src["input"].get("name", "input")
    tta = "hflip" in src.get("tta", [])

    xtr, _, _ = load_split_cached(args.data, "train", args.cache, limit=args.calib)
    xva, yva, _ = load_split_cached(args.data, "val", args.cache, args.limit_val)
    print(f"[quantize] {src_onnx}: {src['name']} {src['version']}, size {size}; calibration n={len(xtr)}, "
          f"val n={len(yva)}", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="kneegrade-int8-"))
    try:
        q_path = tmp / "model.onnx"
        meta = {"kneegrade.name": name, "kneegrade.version": src["version"],
                "kneegrade.architecture": src.get("architecture", ""), "kneegrade.precision": "int8",
                "kneegrade.source.sha256": src["sha256"]}
        info = quantize_int8(src_onnx, q_path, xtr, size, input_name=input_name, metadata=meta)
        print(f"[quantize] int8 file {q_path.stat().st_size / 1e6:.1f} MB in {info['quantiseSeconds']:.1f} s; "
              f"kept in float: {', '.join(info['keptFloat']) or 'nothing'}", flush=True)
        src_m = evaluate(src_onnx, xva, yva, size, tta=tta, threads=args.threads)
        int8_m = evaluate(q_path, xva, yva, size, tta=tta, threads=args.threads)
        card_val = src.get("validation") or {}
        if card_val.get("n") == src_m["n"] and abs(card_val.get("qwk", src_m["qwk"]) - src_m["qwk"]) > 1e-9:
            print(f"[quantize] note: {src['name']} scores val QWK {src_m['qwk']:.4f} here, its card says "
                  f"{card_val['qwk']:.4f} (another data folder?)", flush=True)
        delta = int8_m["qwk"] - src_m["qwk"]
        print(f"[quantize] val QWK {src['name']} {src_m['qwk']:.4f}, int8 {int8_m['qwk']:.4f} "
              f"(change {delta:+.4f}, tolerance {args.tolerance})", flush=True)
        if not abs(delta) <= args.tolerance:
            print(f"[quantize] not shipped: the int8 val QWK {int8_m['qwk']:.4f} differs from {src['name']}'s "
                  f"{src_m['qwk']:.4f} by {abs(delta):.4f} > tolerance {args.tolerance}; nothing written to "
                  f"{args.out}", file=sys.stderr, flush=True)
            return 1
        card = int8_card(src, onnx_path=q_path, src_metrics=src_m, int8_metrics=int8_m, info=info,
                         calib_n=len(xtr), calibrate="percentile", tolerance=args.tolerance, command=command)
        _install({"model.onnx": q_path, "model.json": json.dumps(card, indent=2) + "\n"}, args.out, args.replace)
        print(f"[quantize] wrote {args.out / 'model.onnx'} ({q_path.stat().st_size / 1e6:.1f} MB) and model.json "
              f"({card['name']} {card['version']})", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
