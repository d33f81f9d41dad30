"""Checkpoint -> KneeGrade model folder: ``model.onnx`` + ``model.json`` (+ optional parity fixture).

    python -m kneegrade_train.export --ckpt runs/resnet18/best.ckpt \
        --data ../../shared/data/knee-kl/kneeKL224-clahe --name resnet18-kl \
        --out ../resources/models/resnet18-kl --parity-dir ../tests/fixtures/parity

Both an fp32 file and an fp16-weights file are made and scored with onnxruntime on the val split
(with the card's test-time augmentation). ``--precision auto`` ships the fp16 file only when its
val QWK is within ``--fp16-tolerance`` (0.01) of the fp32 file's; the card records both.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from .card import data_provenance, end_to_end_card, git_commit
from .checkpoint import load_checkpoint
from .data import is_pack, load_split_cached, read_manifest
from .metrics import summary
from .onnx_eval import onnx_probs
from .onnx_export import export_onnx, to_fp16_weights
from .parity import pick_images, write_fixture
from .rounding import round_weights_fp16

ARCH_LABEL = {"resnet18": "resnet18", "convnext_atto": "convnext-atto", "convnext_femto": "convnext-femto",
              "convnext_pico": "convnext-pico", "convnext_nano": "convnext-nano", "convnext_tiny": "convnext-tiny"}


def training_command(args: dict) -> str:
    """The train.py command line that produced the checkpoint, rebuilt from its stored arguments."""
    parts = ["python", "-m", "kneegrade_train.train"]
    order = ["arch", "data", "out", "size", "epochs", "batch", "lr", "wd", "ordinal_weight", "seed", "threads",
             "limit_train", "limit_val", "max_steps", "deadline_min", "resume"]
    for k in order:
        v = args.get(k)
        if v is None or v is False:
            continue
        parts += [f"--{k.replace('_', '-')}"] + ([] if v is True else [str(v)])
    return " ".join(shlex.quote(p) for p in parts)


def _brief(m: dict) -> dict:
    return {k: m[k] for k in ("qwk", "linearKappa", "exactAccuracy", "adjacentAccuracy", "mae")}


def _data_label(root: Path) -> str:
    """The data root as ``shared/data/...`` when it lies there (the team's layout), else absolute.

    For a pack, the folder it was made from (its images keep their original relative paths)."""
    if is_pack(root):
        return read_manifest(root)["source"]["folder"]
    parts = root.resolve().parts
    for i in range(len(parts) - 1):
        if parts[i] == "shared" and parts[i + 1] == "data":
            return "/".join(("shared", "data") + parts[i + 2 :])
    return str(root.resolve())


def _source_name(path: str, data_root: Path) -> str:
    return Path(path).resolve().relative_to(data_root.resolve()).as_posix()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True, type=Path)
    ap.add_argument("--data", required=True, type=Path, help="data root with a val/<grade>/ split")
    ap.add_argument("--name", required=True, help="model folder name, e.g. resnet18-kl")
    ap.add_argument("--out", required=True, type=Path, help="model folder to write")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--precision", choices=["auto", "fp32", "fp16"], default="auto")
    ap.add_argument("--fp16-tolerance", type=float, default=0.01)
    ap.add_argument("--commit", default=None, help="source commit of the training code (default: this checkout)")
    ap.add_argument("--training-note", default=None, help="free text for the card, e.g. how a run was resumed")
    ap.add_argument("--parity-dir", type=Path, default=None)
    ap.add_argument("--limit-val", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parents[1] / ".cache")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    lossy_pack = None
    if is_pack(args.data):
        enc = read_manifest(args.data)["encoding"]
        if not enc["lossless"] or enc["size"] != 224:
            lossy_pack = f"{enc['format']} quality {enc.get('quality')} at {enc['size']} px"
            if args.parity_dir:
                raise SystemExit(f"{args.data}: a parity fixture needs the original crops, and this pack is {lossy_pack}; "
                                 "export with --data <the original folder> for --parity-dir")
            print(f"[export] note: val images come from {args.data} ({lossy_pack}), not the original crops; the card's "
                  "validation figures are for those. Export with --data <the original folder> for the shipped card.",
                  flush=True)

    ck = load_checkpoint(args.ckpt)
    xva, yva, paths = load_split_cached(args.data, "val", args.cache, args.limit_val)
    print(f"[export] {args.ckpt}: {ck.arch} size {ck.size} epoch {ck.epoch + 1}; val n={len(yva)}", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="kneegrade-export-"))
    try:
        meta = {"kneegrade.name": args.name, "kneegrade.version": args.version, "kneegrade.architecture": ck.arch}
        candidates: dict[str, tuple[Path, torch.nn.Module]] = {}
        metrics: dict[str, dict] = {}
        if args.precision in ("auto", "fp32"):
            p32 = export_onnx(ck.model, ck.size, tmp / "fp32.onnx", metadata=meta | {"kneegrade.precision": "fp32"})
            candidates["fp32"] = (p32, ck.model)
        if args.precision in ("auto", "fp16"):
            rounded = round_weights_fp16(ck.model)
            p = export_onnx(rounded, ck.size, tmp / "rounded.onnx", metadata=meta | {"kneegrade.precision": "fp16-weights"})
            info = to_fp16_weights(p, tmp / "fp16.onnx")
            print(f"[export] fp16 weights: {info}", flush=True)
            candidates["fp16"] = (tmp / "fp16.onnx", rounded)
        for key, (path, _) in candidates.items():
            metrics[key] = summary(yva, onnx_probs(path, xva, ck.size, tta=True, threads=args.threads).argmax(1))
            print(f"[export] {key}: {path.stat().st_size / 1e6:.1f} MB, val " + json.dumps(_brief(metrics[key])), flush=True)

        chosen = args.precision
        if chosen == "auto":
            ok = metrics["fp16"]["qwk"] >= metrics["fp32"]["qwk"] - args.fp16_tolerance
            chosen = "fp16" if ok else "fp32"
        src, ref_model = candidates[chosen]
        args.out.mkdir(parents=True, exist_ok=True)
        onnx_path = args.out / "model.onnx"
        shutil.copyfile(src, onnx_path)

        hist_note = ""
        if ck.args.get("deadline_min"):
            hist_note = f" Training stops early when --deadline-min runs out; the best epoch was {ck.epoch + 1}."
        validation = {"split": "val", **metrics[chosen], "tta": ["hflip"], "evaluatedWith": "onnxruntime " + chosen,
                      "precision": chosen, "precisionComparison": {k: _brief(v) for k, v in metrics.items()}}
        training = {
            **data_provenance(args.data),
            "command": training_command(ck.args) + " (cwd training/)",
            "seed": int(ck.args.get("seed", 42)),
            "commit": args.commit or ck.args.get("commit") or git_commit() or "unknown",
            "fromScratch": True,
            "bestEpoch": ck.epoch + 1,
            "selection": "EMA weights of the epoch with the best val QWK (TTA hflip)",
            "objective": "class-weighted (1/sqrt frequency) cross entropy with label smoothing 0.05 + "
                         f"{ck.args.get('ordinal_weight', 0.5)} x expected squared grade distance",
            "exportCommand": " ".join(shlex.quote(a) for a in ["python", "-m", "kneegrade_train.export", *(argv if argv is not None else sys.argv[1:])]),
        }
        if args.training_note:
            training["note"] = args.training_note
        arch = ARCH_LABEL.get(ck.arch, ck.arch)
        desc = (f"{arch} trained from scratch (no pretrained weights) at {ck.size} px on CLAHE-enhanced OAI knee "
                f"crops; weights stored as {'float16 (computed in float32)' if chosen == 'fp16' else 'float32'}."
                + hist_note)
        card = end_to_end_card(name=args.name, version=args.version, architecture=arch, onnx_path=onnx_path,
                               size=ck.size, training=training, validation=validation, description=desc)
        (args.out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
        print(f"[export] wrote {onnx_path} ({onnx_path.stat().st_size / 1e6:.1f} MB, {chosen}) and model.json", flush=True)

        if args.parity_dir:
            idx = pick_images(yva)
            manifest = write_fixture(
                args.parity_dir, model_name=args.name, onnx_path=onnx_path, precision=chosen, model=ref_model,
                size=ck.size, crops=xva[idx], labels=yva[idx], sources=[_source_name(paths[i], args.data) for i in idx],
                onnx_sha256=card["sha256"], data_root=_data_label(args.data),
            )
            print(f"[export] parity fixture {manifest}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
