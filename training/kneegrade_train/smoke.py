"""CI-sized end-to-end check of the pipeline: train one short epoch on a few dozen crops, export
ONNX + card, and verify onnxruntime against PyTorch (the parity fixture it writes is then read by
KneeGrade's TypeScript test, tests/integration/training/smoke.test.ts).

    python -m kneegrade_train.smoke --out /tmp/kg-smoke [--data ../shared/data/knee-kl/kneeKL224-clahe]

Without ``--data`` it generates a synthetic dataset. The last stdout line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import export, train
from .synthetic import write_dataset


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--arch", default="convnext_atto")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--train-images", type=int, default=40)
    ap.add_argument("--val-images", type=int, default=20)
    args = ap.parse_args(argv)

    out = args.out.resolve()
    data = args.data.resolve() if args.data else write_dataset(
        out / "data", {"train": -(-args.train_images // 5), "val": -(-args.val_images // 5)})
    cache, run = out / "cache", out / "run"
    rc = train.main([
        "--arch", args.arch, "--data", str(data), "--out", str(run), "--size", str(args.size), "--epochs", "1",
        "--batch", "8", "--max-steps", "5", "--threads", "1", "--limit-train", str(args.train_images),
        "--limit-val", str(args.val_images), "--cache", str(cache),
    ])
    if rc:
        return rc
    name = "smoke-" + args.arch.replace("_", "-")
    rc = export.main([
        "--ckpt", str(run / "best.ckpt"), "--data", str(data), "--name", name, "--out", str(out / "model"),
        "--parity-dir", str(out / "parity"), "--limit-val", str(args.val_images), "--cache", str(cache),
    ])
    if rc:
        return rc
    print(json.dumps({"model": str(out / "model"), "parity": str(out / "parity" / "manifest.json"),
                      "data": str(data), "synthetic": args.data is None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
