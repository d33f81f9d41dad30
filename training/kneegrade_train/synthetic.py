"""A tiny synthetic KL dataset for tests that must run without the third-party data.

Each image is a crude joint: two bright "bone" blocks whose gap (the joint space) narrows with the
grade, plus blur and noise. It only has to be learnable a little and shaped like the real folders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from .data import NATIVE_SIZE


def synthetic_crop(grade: int, rng: np.random.Generator, size: int = NATIVE_SIZE) -> np.ndarray:
    img = np.full((size, size), 40.0)
    mid = size // 2 + int(rng.integers(-8, 9))
    gap = max(2, 28 - 6 * grade + int(rng.integers(-2, 3)))
    img[: mid - gap // 2, size // 6 : 5 * size // 6] = 190
    img[mid + gap // 2 :, size // 6 : 5 * size // 6] = 180
    if grade >= 3:  # osteophyte-like spurs at the joint margins
        img[mid - 10 : mid + 10, size // 6 - 12 : size // 6] = 170
    img += rng.normal(0, 12, img.shape)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2))
    return np.asarray(pil)


def write_dataset(root: Path, per_grade: dict[str, int], seed: int = 0) -> Path:
    """Write ``root/<split>/<grade>/<n>.png`` with ``per_grade[split]`` images per grade."""
    rng = np.random.default_rng(seed)
    for split, n in per_grade.items():
        for g in range(5):
            d = root / split / str(g)
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                Image.fromarray(synthetic_crop(g, rng)).save(d / f"{split}{g}{i:03d}.png")
    return root
