"""Dataset loading: any folder laid out ``<split>/<grade>/<image>``, cached as one uint8 array.

Images are decoded once (WebP/PNG/JPEG through Pillow, first channel: the WebP copies are grey
stored as three equal channels) and cached as ``.npz`` beside the run so later epochs and resumed
runs never decode again.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
from PIL import Image

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
NATIVE_SIZE = 224  # the joint-crop size the models' input contract is written against


def list_split(root: Path, split: str) -> list[tuple[Path, int]]:
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


def load_grey(path: Path, size: int = NATIVE_SIZE) -> np.ndarray:
    """Decode one image to uint8 greyscale at ``size`` (area-resampled only when it differs)."""
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
    items = list_split(root, split)
    if limit:
        rng = np.random.default_rng(0)
        idx = rng.permutation(len(items))[:limit]
        items = [items[i] for i in sorted(idx)]
    key = hashlib.sha256("\n".join(f"{p}:{g}" for p, g in items).encode()).hexdigest()[:16]
    cache = cache_dir / f"{split}-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        kept = z["kept"] if "kept" in z.files else np.arange(len(items))
        return z["x"], z["y"], [str(items[i][0]) for i in kept]
    arrays, kept = [], []
    for i, (p, _) in enumerate(items):
        try:
            arrays.append(load_grey(p))
            kept.append(i)
        except (OSError, ValueError) as e:  # PIL raises these for unreadable or truncated files
            print(f"[data] skipping {p}: cannot decode ({e})", file=sys.stderr, flush=True)
    if not arrays:
        raise ValueError(f"{root / split}: none of the {len(items)} images could be decoded")
    x = np.stack(arrays)
    y = np.array([items[i][1] for i in kept], dtype=np.int64)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y, kept=np.array(kept, dtype=np.int64))
    return x, y, [str(items[i][0]) for i in kept]
