"""Bring a GPU machine's training results home: ``collect`` there, ``join`` here (see training/gpu/run.sh).

The device tool returns at most 8 files from ``$OUT``, each at most 16 MiB, 64 MiB together, no more
than two folders down. A ResNet18 ``best.ckpt`` (EMA weights, float32) is ~45 MB, so ``collect`` cuts
each ``best.ckpt`` into parts of at most 16,000,000 bytes and writes ``summary.json`` (per model: the
best epoch and its val metrics, the epochs run, the checkpoint's sha256 and its parts). ``join``
reassembles the parts into ``<dest>/<arch>/best.ckpt`` and checks the sha256.

    python -m kneegrade_train.gpu collect --runs /tmp/kg-gpu --out "$OUT" --pack PACK      # on the GPU machine
    python -m kneegrade_train.gpu join --from <files_at> --dest runs/gpu                    # here, from training/
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

PART_BYTES = 16_000_000  # under the 16 MiB per-file limit with room to spare
SUMMARY = "summary.json"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def split_file(src: Path, dest_dir: Path, part_bytes: int = PART_BYTES) -> list[str]:
    """``src`` -> ``dest_dir/<name>.part00``, ``.part01``, ... (or one part when it is small)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    names = []
    with open(src, "rb") as f:
        i = 0
        while True:
            chunk = f.read(part_bytes)
            if not chunk and i:
                break
            name = f"{src.name}.part{i:02d}"
            (dest_dir / name).write_bytes(chunk)
            names.append(name)
            i += 1
            if len(chunk) < part_bytes:
                break
    return names


def _run_summary(run: Path) -> dict:
    import torch

    rec: dict = {"run": str(run)}
    last = run / "last.ckpt"
    if last.exists():
        ck = torch.load(last, map_location="cpu", weights_only=False)
        rec["epochsRun"] = ck["epoch"] + 1
        rec["epochsPlanned"] = ck["args"].get("epochs")
        rec["history"] = ck["history"]
        rec["args"] = {k: ck["args"].get(k) for k in ("arch", "size", "epochs", "batch", "lr", "deadline_min", "limit_train", "max_steps", "commit")}
    best = run / "best.ckpt"
    if best.exists():
        b = torch.load(best, map_location="cpu", weights_only=False)
        v = b["val"]
        rec["bestEpoch"] = b["epoch"] + 1
        rec["val"] = {k: v[k] for k in ("qwk", "linearKappa", "exactAccuracy", "adjacentAccuracy", "mae") if k in v}
        rec["valPerGradeF1"] = [round(g["f1"], 4) for g in v.get("perGrade", [])]
        rec["bestSha256"] = _sha256(best)
        rec["bestBytes"] = best.stat().st_size
    return rec


def collect(runs: Path, out: Path, archs: list[str], pack: str | None = None, extra: dict | None = None) -> dict:
    summary = {"pack": pack, **(extra or {}), "models": {}}
    for arch in archs:
        run = runs / arch
        rec = _run_summary(run) if run.is_dir() else {"run": str(run), "missing": True}
        if (run / "best.ckpt").exists():
            rec["parts"] = [f"{arch}/{n}" for n in split_file(run / "best.ckpt", out / arch)]
        summary["models"][arch] = rec
    (out / SUMMARY).write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def print_summary(summary: dict) -> None:
    print("=" * 72)
    print(f"[summary] pack {summary.get('pack')}  " + " ".join(f"{k}={v}" for k, v in summary.items() if k not in ("pack", "models")))
    for arch, r in summary["models"].items():
        if r.get("missing") or "bestEpoch" not in r:
            print(f"[summary] {arch}: NO best.ckpt ({r.get('run')})")
            continue
        v = r["val"]
        print(f"[summary] {arch}: {r.get('epochsRun')}/{r.get('epochsPlanned')} epochs, best epoch {r['bestEpoch']}: "
              f"val QWK {v['qwk']:.4f} adjacent {v['adjacentAccuracy']:.4f} exact {v['exactAccuracy']:.4f} "
              f"F1 KL0-4 {r['valPerGradeF1']}; best.ckpt {r['bestBytes']} bytes sha256 {r['bestSha256'][:16]}… in {len(r['parts'])} part(s)")
    print("=" * 72, flush=True)


def join(src: Path, dest: Path) -> list[Path]:
    """Reassemble every model's ``best.ckpt`` from a collected folder; checks each sha256."""
    summary = json.loads((src / SUMMARY).read_text())
    written = []
    for arch, r in summary["models"].items():
        if "parts" not in r:
            print(f"[join] {arch}: no checkpoint came back", file=sys.stderr)
            continue
        target = dest / arch / "best.ckpt"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name("best.ckpt.tmp")
        with open(tmp, "wb") as f:
            for p in r["parts"]:
                f.write((src / p).read_bytes())
        got = _sha256(tmp)
        if got != r["bestSha256"]:
            tmp.unlink()
            raise SystemExit(f"[join] {arch}: reassembled best.ckpt has sha256 {got}, summary says {r['bestSha256']} (a part is missing or damaged)")
        tmp.replace(target)
        (target.parent / "gpu-summary.json").write_text(json.dumps({"pack": summary.get("pack"), **r}, indent=1) + "\n")
        print(f"[join] {target} ({r['bestBytes']} bytes, sha256 ok; best epoch {r['bestEpoch']}, val QWK {r['val']['qwk']:.4f})")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect", help="on the GPU machine: best.ckpt parts + summary.json under --out")
    c.add_argument("--runs", required=True, type=Path)
    c.add_argument("--out", required=True, type=Path)
    c.add_argument("--archs", default="resnet18,convnext_atto")
    c.add_argument("--pack", default=None)
    c.add_argument("--info", action="append", default=[], help="KEY=VALUE recorded in summary.json")
    j = sub.add_parser("join", help="here: reassemble best.ckpt files from the returned folder")
    j.add_argument("--from", dest="src", required=True, type=Path)
    j.add_argument("--dest", required=True, type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "collect":
        extra = dict(kv.split("=", 1) for kv in args.info)
        print_summary(collect(args.runs, args.out, [a for a in args.archs.split(",") if a], args.pack, extra))
        return 0
    return 0 if join(args.src, args.dest) else 1


if __name__ == "__main__":
    sys.exit(main())
