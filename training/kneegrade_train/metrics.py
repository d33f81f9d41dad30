"""Validation metrics reported on model cards (same definitions as KneeGrade's TS stats module)."""

from __future__ import annotations

import numpy as np


def confusion(y_true, y_pred, k: int = 5) -> np.ndarray:
    m = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        m[int(t), int(p)] += 1
    return m


def weighted_kappa(y_true, y_pred, k: int = 5, power: int = 2) -> float:
    o = confusion(y_true, y_pred, k).astype(np.float64)
    n = o.sum()
    if n == 0:
        return float("nan")
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    w = np.abs(i - j).astype(np.float64) ** power
    e = np.outer(o.sum(1), o.sum(0)) / n
    den = (w * e).sum()
    return 1.0 - (w * o).sum() / den if den > 0 else 1.0


def summary(y_true, y_pred, k: int = 5) -> dict:
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    cm = confusion(y_true, y_pred, k)
    per = []
    for g in range(k):
        tp = cm[g, g]
        prec = tp / cm[:, g].sum() if cm[:, g].sum() else 0.0
        rec = tp / cm[g, :].sum() if cm[g, :].sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per.append({"grade": g, "precision": float(prec), "recall": float(rec), "f1": float(f1), "support": int(cm[g, :].sum())})
    return {
        "n": int(len(y_true)),
        "qwk": float(weighted_kappa(y_true, y_pred, k, 2)),
        "linearKappa": float(weighted_kappa(y_true, y_pred, k, 1)),
        "exactAccuracy": float((y_true == y_pred).mean()),
        "adjacentAccuracy": float((np.abs(y_true - y_pred) <= 1).mean()),
        "mae": float(np.abs(y_true - y_pred).mean()),
        "perGrade": per,
        "confusion": cm.tolist(),
    }
