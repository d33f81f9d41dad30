"""The model input contract, shared by training, evaluation, export and the parity fixtures.

A 224x224 uint8 CLAHE-enhanced joint crop -> float [0,1] -> bilinear resize (align_corners=False,
no antialias) to the model's input size -> (x - MEAN) / STD, replicated to 3 channels.
KneeGrade's TypeScript preprocessing implements exactly this (src/core/preprocess).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

MEAN = 0.5
STD = 0.25


def to_input(x_uint8: torch.Tensor, size: int) -> torch.Tensor:
    """(N,H,W) uint8 -> (N,3,size,size) float32 normalised."""
    x = x_uint8.float().div_(255.0).unsqueeze(1)
    if x.shape[-1] != size or x.shape[-2] != size:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=False)
    x = (x - MEAN) / STD
    return x.expand(-1, 3, -1, -1).contiguous()
