"""Pack a ``<split>/<grade>/<image>`` data folder into ONE small file that can travel to a GPU machine.

    python -m kneegrade_train.pack --data ../../shared/data/knee-kl/kneeKL224-clahe \\
        --out packs/knee-kl-224-webp.kgpack       # the defaults: 224 px, WebP, the highest quality that fits
    python -m kneegrade_train.pack ... --out packs/knee-kl-224-q90.kgpack --size 224 --format jpeg --quality 90
    python -m kneegrade_train.pack ... --out packs/knee-kl-112-png.kgpack --size 112 --quality 100   # lossless PNG
    python -m kneegrade_train.pack --verify packs/knee-kl-224-webp.kgpack
    python -m kneegrade_train.pack --check-upload packs/knee-kl-224-webp.kgpack   # before a device call

The pack is a zip archive readable with the standard library (members stored, not deflated:
the images are compressed already): ``manifest.json`` first, then ``images/<split>/<grade>/<name>.<ext>``.
The manifest (schema ``kneegrade-pack/1``) records the source folder, the counts per split and grade,
the encoding, the fidelity against the source pixels, the sha256 of the source files and of the payload
(the image members' bytes concatenated in manifest order), and per image its member name, split, grade
and original relative path. ``data.py`` reads a pack wherever a data folder is accepted.

Every image is first read exactly as ``data.py`` reads a folder (first channel, area-resampled to
224 if needed), then area-resampled to ``--size`` and encoded as 8-bit grey. ``--quality 100`` means
lossless PNG whatever ``--format`` says.

The file is written only if it fits: over ``--max-mib``, or when the pack plus the repository's
travelling working tree (tracked and untracked-not-ignored files, which every device call uploads)
would exceed ``--upload-limit-mib``, it exits 1, names the sizes and writes nothing. ``--quality auto``
(the default) picks the highest quality that fits both.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shlex
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from .data import NATIVE_SIZE, PACK_MANIFEST, PACK_SCHEMA, PACK_SUFFIX, PackError, list_split, load_grey, read_manifest

MIB = 1 << 20


def _log(msg: str) -> None:
    print(msg, flush=True)


FORMATS = ("webp", "jpeg", "png")
DEFAULT_SIZE = 224
DEFAULT_FORMAT = "webp"
DEFAULT_QUALITY = "auto"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same inputs give the same bytes


def encode(img: np.ndarray, fmt: str, quality: int) -> tuple[bytes, str]:
    """uint8 (H,W) grey -> (encoded bytes, file extension). ``quality`` 100 is lossless PNG."""
    if img.ndim != 2 or img.dtype != np.uint8:
        raise ValueError(f"expected a 2-D uint8 grey image, got {img.dtype} {img.shape}")
    im = Image.fromarray(img)
    buf = io.BytesIO()
    if quality >= 100 or fmt == "png":
        im.save(buf, "PNG", optimize=True)
        return buf.getvalue(), "png"
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=quality, optimize=True)
        return buf.getvalue(), "jpg"
    if fmt == "webp":
        # WebP has no grey mode: Pillow stores RGB with equal channels (chroma neutral), data.py takes one
        im.save(buf, "WEBP", quality=quality, method=6)
        return buf.getvalue(), "webp"
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def encoding_label(fmt: str, quality: int) -> dict:
    if quality >= 100 or fmt == "png":
        return {"format": "png", "lossless": True, "options": {"optimize": True}}
    opts = {"optimize": True} if fmt == "jpeg" else {"method": 6}
    return {"format": fmt, "lossless": False, "quality": quality, "options": opts}


def _data_label(root: Path) -> str:
    """``shared/data/...`` when the folder lies there (the team's layout), else the absolute path."""
    parts = root.resolve().parts
    for i in range(len(parts) - 1):
        if parts[i] == "shared" and parts[i + 1] == "data":
            return "/".join(("shared", "data") + parts[i + 2 :])
    return str(root.resolve())


def _git_toplevel(path: Path) -> Path | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True, check=True)
        return Path(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return None


def travelling_tree_bytes(repo: Path, exclude: tuple[Path, ...] = ()) -> int:
    """Bytes of what a device call uploads besides its carried paths: the tracked files and the untracked
    files git does not ignore (and a ``shared/`` folder inside the checkout, if any)."""
    names: set[str] = set()
    for extra in ([], ["--others", "--exclude-standard"]):
        out = subprocess.run(["git", "ls-files", "-z", *extra], cwd=repo, capture_output=True, check=True).stdout
        names.update(n for n in out.decode("utf-8", "surrogateescape").split("\0") if n)
    files = {repo / n for n in names}
    shared = repo / "shared"
    if shared.is_dir() and not shared.is_symlink():
        files.update(f for f in shared.rglob("*") if f.is_file() and not f.is_symlink())
    skip = {p.resolve() for p in exclude}
    total = 0
    for p in files:
        if p.resolve() in skip:
            continue
        try:
            total += p.lstat().st_size
        except FileNotFoundError:  # tracked but deleted in the working tree
            pass
    return total


class _Fidelity:
    """Mean/max absolute difference of the pack's pixels against the source's, 0..255 units, measured
    (a) at 224 px as data.py returns both, and (b) at the pack size as the model input (to_input's
    bilinear resize, 0..255 units), i.e. what a model trained with ``--size`` = pack size sees."""

    def __init__(self, size: int):
        self.size = size
        self.sum224 = 0.0
        self.max224 = 0
        self.sum_in = 0.0
        self.max_in = 0.0
        self.n = 0
        self.px_in = 0

    def add(self, src224: np.ndarray, back224: np.ndarray) -> None:
        d = np.abs(src224.astype(np.int16) - back224.astype(np.int16))
        self.sum224 += float(d.sum())
        self.max224 = max(self.max224, int(d.max()))
        self.n += d.size
        if self.size != NATIVE_SIZE:
            import torch

            from .preprocess import MEAN, STD, to_input

            pair = torch.from_numpy(np.stack([src224, back224]))
            x = (to_input(pair, self.size)[:, 0] * STD + MEAN) * 255
            di = (x[0] - x[1]).abs()
            self.sum_in += float(di.sum())
            self.max_in = max(self.max_in, float(di.max()))
            self.px_in += di.numel()

    def summary(self) -> dict:
        out = {"at224": {"meanAbs": round(self.sum224 / max(1, self.n), 4), "maxAbs": self.max224,
                         "note": "pack pixels as data.py returns them (224 px) vs the source pixels, 0..255"}}
        if self.size == NATIVE_SIZE:
            out["atModelInput"] = dict(out["at224"], size=self.size, note="the pack is at 224 px: same as at224")
        else:
            out["atModelInput"] = {"size": self.size, "meanAbs": round(self.sum_in / max(1, self.px_in), 4),
                                   "maxAbs": round(self.max_in, 3),
                                   "note": f"model input at --size {self.size} (bilinear from 224, 0..255 units) from the pack vs from the source"}
        return out


def _zip_overhead(members: list[str]) -> int:
    """Bytes a stored zip spends per member (local header + central directory entry, with the name twice)."""
    return sum(30 + 46 + 2 * len(m.encode()) for m in members) + 22


def _encode_all(sources: list[np.ndarray], size: int, fmt: str, quality: int) -> list[tuple[bytes, str]]:
    out = []
    for src in sources:
        small = src if size == NATIVE_SIZE else np.asarray(Image.fromarray(src).resize((size, size), Image.BOX))
        out.append(encode(small, fmt, quality))
    return out


def _pick_quality(sources: list[np.ndarray], size: int, fmt: str, budget: int, overhead: int, log) -> int:
    """The highest quality (1..95) whose pack, estimated from an evenly spread sample of images, fits ``budget``."""
    n = len(sources)
    idx = np.unique(np.linspace(0, n - 1, min(n, 256)).round().astype(int))
    sample = [sources[i] for i in idx]

    def estimate(q: int) -> int:
        per = sum(len(b) for b, _ in _encode_all(sample, size, fmt, q)) / len(sample)
        return int(per * n * 1.02) + overhead  # 2% for the sample's error

    lo, hi, best = 1, 95, None
    while lo <= hi:
        mid = (lo + hi) // 2
        est = estimate(mid)
        log(f"[pack] auto quality: {fmt} q{mid} at {size} px -> about {est / MIB:.2f} MiB (budget {budget / MIB:.2f} MiB)")
        if est <= budget:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    if best is None:
        raise SystemExit(f"[pack] even {fmt} quality 1 at {size} px would be about {estimate(1) / MIB:.2f} MiB, over the "
                         f"{budget / MIB:.2f} MiB budget: nothing written; try a smaller --size")
    return best


def build(data: Path, out: Path, *, size: int = DEFAULT_SIZE, fmt: str = DEFAULT_FORMAT, quality: int | str = DEFAULT_QUALITY,
          splits: tuple[str, ...] = ("train", "val"), max_mib: float = 60.0, upload_limit_mib: float = 64.0,
          margin_mib: float = 0.5, command: str | None = None, log=_log) -> dict:
    """Write the pack; returns its manifest. Raises SystemExit with a message when it does not fit.

    ``quality="auto"``: the highest lossy quality whose pack fits both ``max_mib`` and the device upload
    budget (``upload_limit_mib`` minus the repository's travelling working tree minus ``margin_mib``).
    """
    auto = quality == "auto"
    if not 16 <= size <= NATIVE_SIZE:
        raise SystemExit(f"--size must be 16..{NATIVE_SIZE}, not {size}")
    if not auto and not (isinstance(quality, int) and 1 <= quality <= 100):
        raise SystemExit(f"--quality must be 1..100 or auto, not {quality!r}")
    if fmt not in FORMATS:
        raise SystemExit(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if auto and fmt == "png":
        raise SystemExit("--quality auto needs a lossy --format (webp or jpeg)")
    data, out = Path(data), Path(out)
    if not data.is_dir():
        raise SystemExit(f"{data}: not a data folder (expected <split>/<grade>/<image>)")
    t0 = time.time()

    # 1. the source pixels, exactly as data.py reads a folder
    entries: list[dict] = []
    sources: list[np.ndarray] = []
    counts: dict[str, list[int]] = {}
    src_hash, src_bytes = hashlib.sha256(), 0
    for split in splits:
        counts[split] = [0] * 5
        for path, grade in list_split(data, split):
            raw = path.read_bytes()
            src_hash.update(raw)
            src_bytes += len(raw)
            try:
                sources.append(load_grey(io.BytesIO(raw)))
            except (OSError, ValueError) as e:
                raise SystemExit(f"{path}: cannot decode the source image ({e}); fix or remove it before packing") from e
            entries.append({"split": split, "grade": grade, "source": path.relative_to(data).as_posix(), "stem": path.stem})
            counts[split][grade] += 1
    log(f"[pack] read {len(sources)} source images ({', '.join(f'{s} {sum(c)}' for s, c in counts.items())}), "
        f"{src_bytes / MIB:.1f} MiB, in {time.time() - t0:.0f} s")

    # 2. the size budget: --max-mib, and what the device upload leaves beside the working tree
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".partial")
    budget, why = (int(max_mib * MIB), f"--max-mib {max_mib:g}") if max_mib else (None, "")
    repo = _git_toplevel(out.parent.resolve()) if upload_limit_mib else None
    tree = travelling_tree_bytes(repo, exclude=(out, part)) if repo is not None else None
    if tree is not None:
        room = int((upload_limit_mib - margin_mib) * MIB) - tree
        log(f"[pack] device upload: the working tree ({repo}) is {tree / MIB:.2f} MiB, leaving "
            f"{(upload_limit_mib * MIB - tree) / MIB:.2f} MiB of {upload_limit_mib:g} MiB for the pack")
        if budget is None or room < budget:
            budget, why = room, f"the {upload_limit_mib:g} MiB device upload less the {tree / MIB:.2f} MiB working tree and a {margin_mib:g} MiB margin"
    ext0 = "png" if (not auto and quality >= 100) or fmt == "png" else {"jpeg": "jpg", "webp": "webp"}[fmt]
    members = [f"images/{e['split']}/{e['grade']}/{e['stem']}.{ext0}" for e in entries]
    dupes = {m for m in members if members.count(m) > 1} if len(set(members)) != len(members) else set()
    if dupes:
        first = sorted(dupes)[0]
        clash = [e["source"] for e, m in zip(entries, members) if m == first]
        raise SystemExit(f"{data}: {' and '.join(clash)} would both become {first}; rename one")
    # + the deflated manifest: its image list, measured, and 16 KiB for the rest
    listing = [{"member": m, "split": e["split"], "grade": e["grade"], "source": e["source"]} for m, e in zip(members, entries)]
    overhead = _zip_overhead(members) + len(zlib.compress(json.dumps(listing, indent=1).encode())) + 16 * 1024

    # 3. encode (auto: pick the quality on a sample, then step down if the whole pack still does not fit)
    if auto and budget is None:
        raise SystemExit("--quality auto needs a budget: --max-mib or a pack inside the repository with --upload-limit-mib")
    q = _pick_quality(sources, size, fmt, budget, overhead, log) if auto else quality
    from .card import git_commit

    for attempt in range(4):
        t1 = time.time()
        fid = _Fidelity(size)
        blobs = []
        for i, (src, (blob, _)) in enumerate(zip(sources, _encode_all(sources, size, fmt, q))):
            fid.add(src, load_grey(io.BytesIO(blob)))  # exactly what data.py will return for this member
            blobs.append(blob)
        payload = hashlib.sha256()
        for b in blobs:
            payload.update(b)
        images = [{"member": m, "split": e["split"], "grade": e["grade"], "source": e["source"]} for m, e in zip(members, entries)]
        manifest = {
            "schema": PACK_SCHEMA,
            "tool": "kneegrade_train.pack",
            "command": command,
            "commit": git_commit(),
            "source": {"folder": _data_label(data), "name": data.resolve().name, "layout": "<split>/<grade>/<image>",
                       "files": len(blobs), "bytes": src_bytes, "sha256": src_hash.hexdigest(),
                       "sha256Of": "the source files' bytes concatenated in manifest order"},
            "encoding": {**encoding_label(fmt, q), "size": size, "mode": "L (8-bit grey; first channel of the source)",
                         "resize": "none" if size == NATIVE_SIZE else f"area (PIL BOX) 224 -> {size}; data.py area-resamples back to 224",
                         **({"qualityChosen": f"auto: the highest that fits {budget / MIB:.2f} MiB ({why})"} if auto else {})},
            "splits": list(splits),
            "counts": counts,
            "total": len(blobs),
            "fidelity": fid.summary(),
            "payload": {"sha256": payload.hexdigest(), "bytes": sum(map(len, blobs)),
                        "sha256Of": "the image members' bytes concatenated in manifest order"},
            "images": images,
        }
        try:
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
                info = zipfile.ZipInfo(PACK_MANIFEST, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, json.dumps(manifest, indent=1) + "\n")
                for m, b in zip(members, blobs):
                    zf.writestr(zipfile.ZipInfo(m, date_time=ZIP_TIME), b)
            total = part.stat().st_size
            enc = manifest["encoding"]
            log(f"[pack] {len(blobs)} images, {enc['format']}{'' if enc['lossless'] else ' q' + str(q)} at {size} px -> "
                f"{total / MIB:.2f} MiB ({total} bytes; {total / len(blobs) / 1024:.2f} KiB per image) in {time.time() - t1:.0f} s")
            f = manifest["fidelity"]
            log(f"[pack] fidelity vs source at 224 px: mean |diff| {f['at224']['meanAbs']:.2f}, max {f['at224']['maxAbs']}"
                + ("" if size == NATIVE_SIZE else f"; at the {size} px model input: mean {f['atModelInput']['meanAbs']:.2f}, max {f['atModelInput']['maxAbs']:.1f}"))
            if budget is None or total <= budget:
                if tree is not None:
                    log(f"[pack] device upload: working tree {tree / MIB:.2f} MiB + pack {total / MIB:.2f} MiB = "
                        f"{(tree + total) / MIB:.2f} MiB of {upload_limit_mib:g} MiB")
                os.replace(part, out)
                break
            if auto and q > 1 and attempt < 3:
                q = max(1, q - max(1, round(q * (1 - budget / total) * 1.5)))
                log(f"[pack] over the {budget / MIB:.2f} MiB budget: again at quality {q}")
                continue
            hint = ("--quality auto, or a lower --quality or --size" if not auto and q < 100
                    else "a lossy --quality (e.g. --format webp --quality auto) or a smaller --size")
            raise SystemExit(f"[pack] {total / MIB:.2f} MiB exceeds {why} ({budget / MIB:.2f} MiB for the pack): "
                             f"nothing written; try {hint}")
        finally:
            if part.exists():
                part.unlink()
    log(f"[pack] wrote {out} (payload sha256 {manifest['payload']['sha256'][:16]}…) in {time.time() - t0:.0f} s")
    return manifest


def verify(pack: Path, log=_log, decode: bool = True) -> list[str]:
    """Check a pack end to end: manifest, every member present with a good CRC and (``decode``) decodable,
    counts, and the payload sha256. Returns the problems (each naming the member); empty when it is sound."""
    pack = Path(pack)
    problems: list[str] = []
    try:
        manifest = read_manifest(pack)
    except PackError as e:
        return [str(e)]
    h = hashlib.sha256()
    counts: dict[str, list[int]] = {s: [0] * 5 for s in manifest.get("counts", {})}
    with zipfile.ZipFile(pack) as zf:
        for e in manifest["images"]:
            try:
                b = zf.read(e["member"])
            except (KeyError, zipfile.BadZipFile, OSError) as err:
                problems.append(f"{pack}: {e['member']}: {err}")
                continue
            h.update(b)
            counts.setdefault(e["split"], [0] * 5)[int(e["grade"])] += 1
            if not decode:
                continue
            try:
                img = load_grey(io.BytesIO(b))
                if img.shape != (NATIVE_SIZE, NATIVE_SIZE):
                    problems.append(f"{pack}: {e['member']}: decoded shape {img.shape}")
            except (OSError, ValueError) as err:
                problems.append(f"{pack}: {e['member']}: cannot decode ({err})")
    if counts != manifest.get("counts"):
        problems.append(f"{pack}: counts per split and grade {counts} differ from the manifest's {manifest.get('counts')}")
    if not problems and h.hexdigest() != manifest["payload"]["sha256"]:
        problems.append(f"{pack}: payload sha256 {h.hexdigest()} differs from the manifest's {manifest['payload']['sha256']}")
    if not problems:
        enc = manifest["encoding"]
        log(f"[verify] {pack}: ok, {manifest['total']} images {json.dumps(manifest['counts'])}, {enc['format']}"
            f"{'' if enc['lossless'] else ' q' + str(enc['quality'])} {enc['size']} px, payload sha256 {h.hexdigest()[:16]}…"
            + ("" if decode else " (not decoded)"))
    return problems


def check_upload(pack: Path, limit_mib: float = 64.0, log=_log) -> int:
    """0 when the pack and the working tree of the repository holding it fit one device call's upload."""
    pack = Path(pack)
    repo = _git_toplevel(pack.resolve().parent)
    if repo is None:
        log(f"[upload] {pack} is not inside a git checkout: it cannot travel with a device call (carry takes repository paths)")
        return 1
    tree, size = travelling_tree_bytes(repo, exclude=(pack,)), pack.stat().st_size
    ignored = subprocess.run(["git", "check-ignore", "-q", str(pack.resolve())], cwd=repo).returncode == 0
    total = tree + size
    ok = total <= limit_mib * MIB
    log(f"[upload] working tree {tree / MIB:.2f} MiB + pack {size / MIB:.2f} MiB = {total / MIB:.2f} MiB of {limit_mib:g} MiB: "
        + ("fits" if ok else f"OVER by {(total - limit_mib * MIB) / MIB:.2f} MiB: re-pack with --quality auto (it sizes the pack to what is left)")
        + ("" if ignored else "; note: git does not ignore the pack, so it travels without carry"))
    if ok and ignored:
        log(f"[upload] carry: [\"{pack.resolve().relative_to(repo).as_posix()}\"]")
    return 0 if ok else 1


def _quality(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 1..100 or auto, not {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="source folder with <split>/<grade>/<image>")
    ap.add_argument("--out", type=Path, help=f"pack to write (*{PACK_SUFFIX})")
    ap.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"pixels per side in the pack (default {DEFAULT_SIZE})")
    ap.add_argument("--format", choices=FORMATS, default=DEFAULT_FORMAT, help=f"lossy codec (default {DEFAULT_FORMAT})")
    ap.add_argument("--quality", type=_quality, default=DEFAULT_QUALITY,
                    help="1..99 lossy, 100 = lossless PNG, auto = the highest that fits the budget (default)")
    ap.add_argument("--splits", default="train,val")
    ap.add_argument("--max-mib", type=float, default=60.0, help="refuse a pack larger than this (0: no limit)")
    ap.add_argument("--upload-limit-mib", type=float, default=64.0,
                    help="refuse a pack that, with the repository's travelling working tree, exceeds this (0: no check)")
    ap.add_argument("--margin-mib", type=float, default=0.5, help="room left under the upload limit (default 0.5)")
    ap.add_argument("--verify", type=Path, default=None, metavar="PACK", help="check an existing pack and exit")
    ap.add_argument("--no-decode", action="store_true", help="with --verify: skip decoding (CRCs, counts, sha256 only)")
    ap.add_argument("--check-upload", type=Path, default=None, metavar="PACK",
                    help="before a device call: does this pack plus the working tree fit --upload-limit-mib? (exit 1 if not)")
    args = ap.parse_args(argv)
    if args.verify:
        problems = verify(args.verify, decode=not args.no_decode)
        for p in problems:
            print(f"[verify] {p}", file=sys.stderr)
        return 1 if problems else 0
    if args.check_upload:
        return check_upload(args.check_upload, args.upload_limit_mib or 64.0)
    if args.data is None or args.out is None:
        ap.error("--data and --out are required (or --verify PACK)")
    if args.out.suffix != PACK_SUFFIX:
        ap.error(f"--out must end in {PACK_SUFFIX} (data.py recognises packs by being a file; the suffix tells people)")
    command = " ".join(shlex.quote(a) for a in ["python", "-m", "kneegrade_train.pack", *(argv if argv is not None else sys.argv[1:])])
    try:
        build(args.data, args.out, size=args.size, fmt=args.format, quality=args.quality,
              splits=tuple(s for s in args.splits.split(",") if s), max_mib=args.max_mib,
              upload_limit_mib=args.upload_limit_mib, margin_mib=args.margin_mib, command=command)
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
