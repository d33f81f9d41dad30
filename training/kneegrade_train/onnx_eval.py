"""Run an exported ONNX model with onnxruntime on a uint8 crop set: the card's validation figures
come from the file that ships, not from the PyTorch weights it was made from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from .preprocess import to_input


def session(path: Path | str, threads: int = 1) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def onnx_probs(
    path: Path | str, x_uint8: np.ndarray, size: int, tta: bool = True, batch: int = 64, threads: int = 1
) -> np.ndarray:
    """Class probabilities for (N,224,224) uint8 crops; ``tta`` averages with the horizontal mirror
    exactly as the card's ``tta: ["hflip"]`` tells the app to."""
    sess = session(path, threads)
    name = sess.get_inputs()[0].name
    out = []
    for i in range(0, len(x_uint8), batch):
        xb = to_input(torch.from_numpy(x_uint8[i : i + batch]), size).numpy()
        p = _softmax(sess.run(None, {name: xb})[0])
        if tta:
            p = (p + _softmax(sess.run(None, {name: np.ascontiguousarray(xb[..., ::-1])})[0])) / 2
        out.append(p)
    return np.concatenate(out)
