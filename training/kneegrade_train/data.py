"""Dataset loading: any folder laid out ``<split>/<grade>/<image>``, cached as one uint8 array.

Images are decoded once (WebP/PNG/JPEG through Pillow, first channel: the WebP copies are grey
stored as three equal channels) and cached as ``.npz`` beside the run so later epochs and resumed
runs never decode again.
"""

from __future__ import annotations

import hashlib
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
    items = list_split(root, split)
    if limit:
        rng = np.random.default_rng(0)
        idx = rng.permutation(len(items))[:limit]
        items = [items[i] for i in sorted(idx)]
    key = hashlib.sha256("\n".join(f"{p}:{g}" for p, g in items).encode()).hexdigest()[:16]
    cache = cache_dir / f"{split}-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        return z["x"], z["y"], [str(p) for p, _ in items]
    x = np.stack([load_grey(p) for p, _ in items])
    y = np.array([g for _, g in items], dtype=np.int64)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y)
    return x, y, [str(p) for p, _ in items]
