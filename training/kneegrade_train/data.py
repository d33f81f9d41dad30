"""Dataset loading: any folder laid out ``<split>/<grade>/<image>``, or a ``.kgpack`` file made from
one by ``kneegrade_train.pack``, cached as one uint8 array per split.

Images are decoded once (WebP/PNG/JPEG through Pillow, first channel: the WebP copies are grey
stored as three equal channels) and cached as ``.npz`` beside the run so later epochs and resumed
runs never decode again.

A pack is a zip archive (standard library ``zipfile``; members stored, not deflated): ``manifest.json``
first (schema ``kneegrade-pack/1``: provenance, encoding, counts, payload sha256 and one entry per image
with its member name, split, grade and original relative path), then ``images/<split>/<grade>/<name>``.
Wherever a data folder is accepted a pack is too; its images come back exactly as a folder's would
(uint8 grey, area-resampled to 224 when the pack holds smaller ones), and the paths reported for them
are ``<pack>/<original relative path>``.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
NATIVE_SIZE = 224  # the joint-crop size the models' input contract is written against
PACK_SUFFIX = ".kgpack"
PACK_SCHEMA = "kneegrade-pack/1"
PACK_MANIFEST = "manifest.json"


class PackError(ValueError):
    """A ``.kgpack`` file that cannot be used (not a zip, no manifest, wrong schema, missing member)."""


def is_pack(root: Path | str) -> bool:
    """A data argument names a pack when it is a file (folders are read as ``<split>/<grade>/<image>``)."""
    return Path(root).is_file()


def read_manifest(pack: Path | str) -> dict:
    pack = Path(pack)
    try:
        with zipfile.ZipFile(pack) as zf:
            manifest = json.loads(zf.read(PACK_MANIFEST))
    except (zipfile.BadZipFile, OSError) as e:
        raise PackError(f"{pack}: not a readable .kgpack zip ({e})") from e
    except KeyError as e:
        raise PackError(f"{pack}: no {PACK_MANIFEST} in the archive (not a .kgpack)") from e
    except ValueError as e:
        raise PackError(f"{pack}: {PACK_MANIFEST} is not valid JSON ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("schema") != PACK_SCHEMA:
        raise PackError(f"{pack}: manifest schema is {manifest.get('schema') if isinstance(manifest, dict) else None!r}, expected {PACK_SCHEMA!r}")
    return manifest


def _pack_entries(pack: Path, split: str) -> tuple[dict, list[dict]]:
    manifest = read_manifest(pack)
    entries = [e for e in manifest["images"] if e["split"] == split]
    if not entries:
        have = sorted({e["split"] for e in manifest["images"]})
        raise FileNotFoundError(f"{pack}: no images of split {split!r} in the pack (it holds {', '.join(have) or 'none'})")
    for e in entries:
        if not 0 <= int(e["grade"]) <= 4:
            raise ValueError(f"{pack}: {e['member']}: KL grade must be 0..4, not {e['grade']}")
    return manifest, entries


def list_split(root: Path, split: str) -> list[tuple[Path, int]]:
    """(path, grade) per image of one split, sorted as the folder lists them.

    For a pack the path is ``<pack>/<original relative path>`` (it names the image; it is not a file).
    """
    root = Path(root)
    if is_pack(root):
        _, entries = _pack_entries(root, split)
        return [(root / e["source"], int(e["grade"])) for e in entries]
    items: list[tuple[Path, int]] = []
    base = root / split
    if not base.is_dir():
        raise FileNotFoundError(f"{base}: split folder not found (expected <root>/{split}/<grade>/<image>)")
    for grade_dir in sorted(base.iterdir()):
        if not grade_dir.is_dir() or not grade_dir.name.isdigit():
            continue
        grade = int(grade_dir.name)
        if not 0 <= grade <= 4:
            raise ValueError(f"{grade_dir}: KL grade folders must be named 0..4")
        for f in sorted(grade_dir.iterdir()):
            if f.suffix.lower() in IMAGE_EXTS:
                items.append((f, grade))
    if not items:
        raise FileNotFoundError(f"{base}: no images found")
    return items


def load_grey(path: Path | BinaryIO, size: int = NATIVE_SIZE) -> np.ndarray:
    """Decode one image (a path or a binary file object) to uint8 greyscale at ``size`` (area-resampled
    only when it differs)."""
    with Image.open(path) as im:
        im = im.convert("RGB").getchannel(0) if im.mode not in ("L", "I;16", "I") else im.convert("L")
        if im.size != (size, size):
            im = im.resize((size, size), Image.BOX)
        return np.asarray(im, dtype=np.uint8)


def load_split_cached(root: Path, split: str, cache_dir: Path, limit: int | None = None):
    """(x uint8 (N,224,224), y int64 (N,), paths) for one split, decoded once and cached.

    An image that cannot be decoded is reported on stderr with its path and the reason, and left out;
    the rest of the split loads.
    """
    root = Path(root)
    pack = is_pack(root)
    if pack:
        manifest, entries = _pack_entries(root, split)
        items = [(root / e["source"], int(e["grade"])) for e in entries]
        members = [e["member"] for e in entries]
        # the payload digest keys the cache too: a pack rewritten in place (another quality) is decoded anew
        salt = f"pack {manifest['payload']['sha256']}\n"
    else:
        items = list_split(root, split)
        salt = ""
    if limit:
        rng = np.random.default_rng(0)
        idx = rng.permutation(len(items))[:limit]
        items = [items[i] for i in sorted(idx)]
        if pack:
            members = [members[i] for i in sorted(idx)]
    key = hashlib.sha256((salt + "\n".join(f"{p}:{g}" for p, g in items)).encode()).hexdigest()[:16]
    cache = cache_dir / f"{split}-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        kept = z["kept"] if "kept" in z.files else np.arange(len(items))
        return z["x"], z["y"], [str(items[i][0]) for i in kept]
    arrays, kept = [], []
    zf = zipfile.ZipFile(root) if pack else None
    try:
        for i, (p, _) in enumerate(items):
            name = f"{root}: {members[i]}" if pack else p
            try:
                # zipfile checks each member's CRC-32 as it reads it (BadZipFile on a damaged member)
                arrays.append(load_grey(io.BytesIO(zf.read(members[i]))) if pack else load_grey(p))
                kept.append(i)
            except (OSError, ValueError, zipfile.BadZipFile, KeyError, EOFError) as e:
                # PIL raises OSError/ValueError for unreadable or truncated images; KeyError: member missing
                print(f"[data] skipping {name}: cannot decode ({e})", file=sys.stderr, flush=True)
    finally:
        if zf is not None:
            zf.close()
    if not arrays:
        raise ValueError(f"{root / split}: none of the {len(items)} images could be decoded")
    x = np.stack(arrays)
    y = np.array([items[i][1] for i in kept], dtype=np.int64)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y, kept=np.array(kept, dtype=np.int64))
    return x, y, [str(items[i][0]) for i in kept]
