"""End to end: a short training run, resume, export with card and parity fixture."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest

from conftest import SHARED_KNEE_KL, needs_shared
from kneegrade_train import smoke, train
from kneegrade_train.card import sha256_file
from kneegrade_train.checkpoint import CheckpointError, load_checkpoint
from kneegrade_train.onnx_eval import session


def _check_outputs(out):
    card = json.loads((out / "model" / "model.json").read_text())
    onnx_path = out / "model" / "model.onnx"
    assert card["schema"] == "kneegrade-model-card/1" and card["approach"] == "end-to-end"
    assert card["sha256"] == sha256_file(onnx_path)
    assert card["input"]["size"] == 64 and card["input"]["normalisation"]["mean"] == [0.5, 0.5, 0.5]
    assert card["output"] == {"name": "logits", "kind": "logits", "classes": 5}
    v = card["validation"]
    assert v["n"] == 20 and len(v["perGrade"]) == 5 and np.array(v["confusion"]).sum() == 20
    assert set(v["precisionComparison"]) == {"fp32", "fp16"}
    assert "kneegrade_train.train" in card["training"]["command"] and card["training"]["seed"] == 42
    onnx.checker.check_model(str(onnx_path))

    manifest = json.loads((out / "parity" / "manifest.json").read_text())
    (entry,) = manifest["models"]
    assert entry["onnxSha256"] == card["sha256"] and len(entry["results"]) == 3
    sess = session(onnx_path)
    for r in entry["results"]:
        x = np.fromfile(out / "parity" / r["input"], dtype="<f4").reshape(1, 1, 64, 64)
        logits = sess.run(None, {"input": np.repeat(x, 3, axis=1)})[0][0]
        assert np.abs(logits - np.array(r["logitsTorch"])).max() < 1e-4
    return card


def test_smoke_on_synthetic_data(tmp_path):
    assert smoke.main(["--out", str(tmp_path)]) == 0
    card = _check_outputs(tmp_path)
    assert card["training"]["licence"] == "unknown"  # synthetic data is not credited to the OAI


@needs_shared
def test_smoke_on_real_crops(tmp_path):
    assert smoke.main(["--out", str(tmp_path), "--data", str(SHARED_KNEE_KL), "--arch", "resnet18"]) == 0
    card = _check_outputs(tmp_path)
    assert card["training"]["licence"] == "CC BY 4.0" and "56rmx5bjcr" in card["training"]["attribution"]


def test_resume_continues_from_last_checkpoint(synthetic_root, tmp_path, capsys):
    common = ["--arch", "resnet18", "--data", str(synthetic_root), "--out", str(tmp_path / "run"), "--size", "32",
              "--epochs", "2", "--batch", "4", "--max-steps", "2", "--threads", "1", "--cache", str(tmp_path / "c"),
              "--deadline-min", "1e-9"]  # stops after the first epoch, as a deadline would
    assert train.main(common) == 0
    assert "[deadline]" in capsys.readouterr().out
    assert train.main(common[:-2] + ["--resume"]) == 0
    out = capsys.readouterr().out
    assert "[resume] from epoch 1" in out and "[epoch 2/2]" in out
    ck = load_checkpoint(tmp_path / "run" / "last.ckpt")
    assert ck.epoch == 1 and ck.arch == "resnet18" and ck.size == 32


def test_bad_checkpoint_is_named(tmp_path):
    bad = tmp_path / "x.ckpt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="x.ckpt"):
        load_checkpoint(bad)


def test_init_from_warm_starts_with_a_fresh_schedule(synthetic_root, tmp_path, capsys):
    base = ["--data", str(synthetic_root), "--size", "32", "--batch", "4", "--max-steps", "2", "--threads", "1",
            "--cache", str(tmp_path / "c")]
    assert train.main(["--arch", "resnet18", "--out", str(tmp_path / "a"), "--epochs", "1", *base]) == 0
    src = tmp_path / "a" / "best.ckpt"
    capsys.readouterr()
    # a vanishing learning rate, so the warm-started weights must still be the source's after training
    assert train.main(["--arch", "resnet18", "--out", str(tmp_path / "b"), "--epochs", "1", "--lr", "1e-12",
                       "--init-from", str(src), *base]) == 0
    out = capsys.readouterr().out
    assert f"[init] weights from {src}" in out and "[epoch 1/1]" in out  # epochs count from zero again
    import torch

    a = torch.load(src, weights_only=False)["ema"]
    b_args = torch.load(tmp_path / "b" / "last.ckpt", weights_only=False)["args"]
    assert b_args["init_from"] == str(src)
    b = torch.load(tmp_path / "b" / "best.ckpt", weights_only=False)["ema"]
    convs = [k for k in a if "conv" in k and k.endswith("weight")]
    assert convs and all(torch.allclose(a[k], b[k], atol=1e-6) for k in convs)
    fresh = torch.load(tmp_path / "a" / "last.ckpt", weights_only=False)["args"]
    assert fresh["init_from"] is None
    # a checkpoint of another architecture is refused with its name
    with pytest.raises(SystemExit, match="best.ckpt.*resnet18, not convnext_atto"):
        train.main(["--arch", "convnext_atto", "--out", str(tmp_path / "c2"), "--epochs", "1", "--init-from", str(src), *base])
