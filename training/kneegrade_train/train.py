"""Train a KL grader from scratch on CPU or CUDA, checkpointed and resumable.

    python -m kneegrade_train.train --arch resnet18 --data ../shared/data/knee-kl/kneeKL224-clahe \
        --size 128 --epochs 30 --out training/runs/resnet18

Every epoch writes ``last.ckpt`` (model, EMA, optimiser, epoch, RNG state) and, when the val QWK of
the EMA weights improves, ``best.ckpt``. ``--resume`` continues from ``last.ckpt``. ``--deadline-min``
stops cleanly before a wall-clock budget runs out (the schedule is still the one for ``--epochs``).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .card import git_commit
from .data import load_split_cached
from .metrics import summary
from .models import build_model
from .preprocess import MEAN, STD, to_input


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Radiograph-appropriate augmentation on a normalised (N,3,S,S) batch.

    Small rotations/scales/shifts (positioning varies), horizontal flips (left and right knees),
    brightness/contrast/gamma jitter (exposure and processing vary). No vertical flips or large
    rotations: a knee film is never upside down.
    """
    n = x.shape[0]
    dev = x.device
    ang = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(10)
    scale = 1 + (torch.rand(n, generator=gen) * 2 - 1) * 0.10
    tx = (torch.rand(n, generator=gen) * 2 - 1) * 0.06
    ty = (torch.rand(n, generator=gen) * 2 - 1) * 0.06
    flip = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack(
        [torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1
    ).to(dev)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # pad with the value of black (0 in [0,1] space)
    x01 = x * STD + MEAN
    x01 = F.grid_sample(x01, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    c = (1 + (torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1) * 0.2).to(dev)
    b = ((torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1) * 0.08).to(dev)
    g = torch.exp((torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1) * 0.25).to(dev)
    x01 = (x01.clamp(0, 1) ** g - 0.5) * c + 0.5 + b
    return (x01 - MEAN) / STD


class OrdinalLoss(nn.Module):
    """Class-weighted cross entropy plus the expected squared grade distance.

    The second term is the soft analogue of quadratic weighted kappa's penalty: probability mass far
    from the true grade costs more than mass on a neighbour.
    """

    def __init__(self, class_weights: torch.Tensor, ordinal_weight: float = 0.5, smoothing: float = 0.05):
        super().__init__()
        self.register_buffer("w", class_weights)
        self.ordinal_weight = ordinal_weight
        self.smoothing = smoothing
        self.register_buffer("grades", torch.arange(len(class_weights)).float())

    def forward(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        ce = F.cross_entropy(logits, y, weight=self.w, label_smoothing=self.smoothing)
        p = logits.softmax(1)
        d2 = (self.grades[None, :] - y[:, None].float()) ** 2
        sw = self.w[y]
        ordinal = ((p * d2).sum(1) * sw).sum() / sw.sum()
        return ce + self.ordinal_weight * ordinal


@torch.no_grad()
def predict(model: nn.Module, x_uint8: np.ndarray, size: int, device, tta: bool = True, bs: int = 128) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(x_uint8), bs):
        xb = to_input(torch.from_numpy(x_uint8[i : i + bs]), size).to(device)
        p = model(xb).softmax(1)
        if tta:
            p = (p + model(torch.flip(xb, dims=[3])).softmax(1)) / 2
        out.append(p.cpu().numpy())
    return np.concatenate(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, help="resnet18 | convnext_atto | convnext_femto | ... | convnext_tiny")
    ap.add_argument("--data", required=True, type=Path, help="folder with <split>/<grade>/<image>")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--ordinal-weight", type=float, default=0.5, help="weight of the expected squared grade distance term")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--limit-train", type=int, default=None, help="use a subset (smoke tests)")
    ap.add_argument("--limit-val", type=int, default=None)
    ap.add_argument("--max-steps", type=int, default=None, help="stop each epoch after N steps (smoke tests)")
    ap.add_argument("--deadline-min", type=float, default=None)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init-from", type=Path, default=None,
                    help="warm start: weights (EMA) from a best.ckpt/last.ckpt of the same arch (--size may differ: fine-tune at a higher resolution); fresh optimiser and schedule")
    ap.add_argument("--cache", type=Path, default=Path(__file__).resolve().parents[1] / ".cache")
    args = ap.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    seed_all(args.seed)
    t_start = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    commit = git_commit()  # recorded in every checkpoint so the card can name the exact source

    xtr, ytr, _ = load_split_cached(args.data, "train", args.cache, args.limit_train)
    xva, yva, _ = load_split_cached(args.data, "val", args.cache, args.limit_val)
    print(f"[data] train {len(ytr)} val {len(yva)} counts {np.bincount(ytr, minlength=5).tolist()} device {device}", flush=True)

    counts = np.bincount(ytr, minlength=5).astype(np.float64)
    # sqrt-inverse-frequency weights: rare grades (KL1, KL4) matter without swamping the loss
    cw = 1 / np.sqrt(np.maximum(counts, 1))
    cw = cw / (cw * counts).sum() * counts.sum()
    model = build_model(args.arch, drop_path_rate=0.05 if args.arch.startswith("convnext") else 0.0).to(device)
    model = model.to(memory_format=torch.channels_last)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    lr = args.lr or (2e-3 if args.arch.startswith("convnext") else 1e-3)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=args.wd)
    crit = OrdinalLoss(torch.tensor(cw, dtype=torch.float32), ordinal_weight=args.ordinal_weight).to(device)
    steps_per_epoch = len(ytr) // args.batch
    if args.max_steps:
        steps_per_epoch = min(steps_per_epoch, args.max_steps)
    total = steps_per_epoch * args.epochs
    warm = min(steps_per_epoch, total // 10 + 1)

    def lr_at(step: int) -> float:
        if step < warm:
            return lr * (step + 1) / warm
        return lr * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))

    if args.init_from and not (args.resume and (args.out / "last.ckpt").exists()):
        # A warm restart: the weights carry over, the optimiser and the cosine schedule start anew
        # (the from-scratch runs on CPU stop long before their schedule has done its work).
        src = torch.load(args.init_from, map_location=device, weights_only=False)
        if src.get("arch", src.get("args", {}).get("arch")) != args.arch:
            raise SystemExit(f"{args.init_from}: checkpoint is for {src.get('arch') or src.get('args', {}).get('arch')}, not {args.arch}")
        state = src["ema"]
        model.load_state_dict(state)
        ema.load_state_dict(state)
        print(f"[init] weights from {args.init_from} (epoch {src.get('epoch')})", flush=True)
    start_epoch, best_qwk, history = 0, -1.0, []
    last = args.out / "last.ckpt"
    if args.resume and last.exists():
        ck = torch.load(last, map_location=device, weights_only=False)
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        start_epoch, best_qwk, history = ck["epoch"] + 1, ck["best_qwk"], ck["history"]
        torch.set_rng_state(ck["rng"])
        print(f"[resume] from epoch {start_epoch} best qwk {best_qwk:.4f}", flush=True)

    gen = torch.Generator().manual_seed(args.seed + start_epoch)
    ema_decay = 0.998 if not args.max_steps else 0.9
    for epoch in range(start_epoch, args.epochs):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(ytr), generator=gen).numpy()
        run_loss = 0.0
        for s in range(steps_per_epoch):
            step = epoch * steps_per_epoch + s
            for gp in opt.param_groups:
                gp["lr"] = lr_at(step)
            idx = perm[s * args.batch : (s + 1) * args.batch]
            xb = to_input(torch.from_numpy(xtr[idx]), args.size).to(device)
            xb = augment(xb, gen).contiguous(memory_format=torch.channels_last)
            yb = torch.from_numpy(ytr[idx]).to(device)
            loss = crit(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                d = min(ema_decay, (1 + step) / (10 + step))
                for pe, pm in zip(ema.state_dict().values(), model.state_dict().values()):
                    if pe.dtype.is_floating_point:
                        pe.mul_(d).add_(pm.detach(), alpha=1 - d)
                    else:
                        pe.copy_(pm)
            run_loss += loss.item()
        probs = predict(ema, xva, args.size, device)
        m = summary(yva, probs.argmax(1))
        rec = {"epoch": epoch, "loss": run_loss / max(1, steps_per_epoch), "qwk": m["qwk"], "adj": m["adjacentAccuracy"],
               "acc": m["exactAccuracy"], "f1_kl1": m["perGrade"][1]["f1"], "sec": time.time() - t0}
        history.append(rec)
        print(f"[epoch {epoch + 1}/{args.epochs}] " + " ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()), flush=True)
        ck = {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "epoch": epoch,
              "best_qwk": max(best_qwk, m["qwk"]), "history": history, "rng": torch.get_rng_state(), "args": vars(args) | {"data": str(args.data), "out": str(args.out), "cache": str(args.cache), "commit": commit, "init_from": str(args.init_from) if args.init_from else None}}
        if m["qwk"] > best_qwk:
            best_qwk = m["qwk"]
            torch.save({"ema": ema.state_dict(), "arch": args.arch, "size": args.size, "epoch": epoch, "val": m, "args": ck["args"]}, args.out / "best.ckpt")
            (args.out / "best-val.json").write_text(json.dumps(m, indent=1))
        torch.save(ck, args.out / "last.ckpt.tmp")
        os.replace(args.out / "last.ckpt.tmp", last)
        if args.deadline_min and (time.time() - t_start) / 60 + rec["sec"] / 60 > args.deadline_min:
            print(f"[deadline] stopping after epoch {epoch + 1}: {args.deadline_min} min budget", flush=True)
            break
    print(f"[done] best val qwk {best_qwk:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
