"""Load a training checkpoint (``best.ckpt`` or ``last.ckpt``) back into an eval-mode model.

``best.ckpt`` holds ``{ema, arch, size, epoch, val, args}``; ``last.ckpt`` holds the full training
state with ``arch``/``size`` only inside ``args``. Both carry the EMA weights, which are what is
selected on val and exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn as nn

from .models import build_model


class CheckpointError(ValueError):
    pass


@dataclass
class LoadedCheckpoint:
    model: nn.Module
    arch: str
    size: int
    epoch: int
    args: dict = field(default_factory=dict)
    val: dict | None = None


def load_checkpoint(path: Path | str) -> LoadedCheckpoint:
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    # weights_only: a checkpoint is a pickle; refuse anything beyond tensors and plain containers.
    try:
        ck = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - re-raised with the file named
        raise CheckpointError(f"{path}: not a readable KneeGrade checkpoint ({e})") from e
    if not isinstance(ck, dict) or "ema" not in ck:
        raise CheckpointError(f"{path}: no 'ema' weights in checkpoint")
    args = dict(ck.get("args") or {})
    arch = ck.get("arch") or args.get("arch")
    size = ck.get("size") or args.get("size")
    if not arch or not size:
        raise CheckpointError(f"{path}: checkpoint does not say its architecture and input size")
    model = build_model(str(arch))
    # Training used channels_last; state_dict tensors keep those strides, which export does not need.
    state = {k: v.contiguous() for k, v in ck["ema"].items()}
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise CheckpointError(f"{path}: weights do not match architecture {arch}: {e}") from e
    model.eval()
    return LoadedCheckpoint(model, str(arch), int(size), int(ck.get("epoch", -1)), args, ck.get("val"))
