"""BioMedCLIP conversion, proved on random weights under the real checkpoint's names and shapes.

The default test uses a depth-reduced tower (2 of 12 blocks, full width) for speed; set
KNEEGRADE_FULL_BIOMEDCLIP=1 to convert the full 12-block ViT-B/16 (~350 MB written to a temp dir).
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import torch

from kneegrade_train import biomedclip
from kneegrade_train.card import sha256_file
from kneegrade_train.onnx_eval import session
from kneegrade_train.vit import ClipVisual


def test_vit_b16_tower_has_the_real_names_and_size():
    m = ClipVisual()
    # timm vit_base_patch16_224 has 86,567,656 parameters with its 1000-class head (769,000);
    # open_clip's linear projection adds 768x512 without bias.
    assert sum(p.numel() for p in m.parameters()) == 86_567_656 - 769_000 + 768 * 512
    shapes = {k: tuple(v.shape) for k, v in m.state_dict().items()}
    assert shapes["trunk.patch_embed.proj.weight"] == (768, 3, 16, 16)
    assert shapes["trunk.cls_token"] == (1, 1, 768) and shapes["trunk.pos_embed"] == (1, 197, 768)
    assert shapes["trunk.blocks.11.attn.qkv.weight"] == (2304, 768)
    assert shapes["trunk.blocks.0.mlp.fc1.weight"] == (3072, 768)
    assert shapes["trunk.norm.weight"] == (768,) and shapes["head.proj.weight"] == (512, 768)
    assert "head.proj.bias" not in shapes


@pytest.mark.parametrize("depth", [12] if os.environ.get("KNEEGRADE_FULL_BIOMEDCLIP") == "1" else [2])
def test_random_checkpoint_converts_with_parity(tmp_path, depth):
    out = tmp_path / "model"
    assert biomedclip.main(["--random-test", str(tmp_path / "ckpt"), "--depth", str(depth), "--out", str(out)]) == 0
    card = json.loads((out / "model.json").read_text())
    assert card["approach"] == "embedding" and card["output"] == {"name": "embedding", "kind": "embedding", "dim": 512}
    assert card["input"]["size"] == 224 and card["input"]["normalisation"]["mean"][0] == pytest.approx(0.48145466)
    assert card["sha256"] == sha256_file(out / "model.onnx") and card["training"]["randomTestWeights"] is True
    assert "RANDOM" in card["description"]
    # independent check: reload the saved checkpoint the way open_clip would name it, compare embeddings
    sd = torch.load(tmp_path / "ckpt" / "open_clip_pytorch_model.bin", weights_only=True)
    model = ClipVisual(depth=depth)
    model.load_state_dict({k[len("visual."):]: v for k, v in sd.items() if k.startswith("visual.")}, strict=True)
    x = torch.randn(3, 3, 224, 224)
    with torch.no_grad():
        ref = model.eval()(x).numpy()
    got = session(out / "model.onnx").run(None, {"input": x.numpy()})[0]
    assert got.shape == (3, 512) and np.abs(got - ref).max() < 1e-4


def test_wrong_checkpoint_is_refused_with_reasons(tmp_path):
    sd = {"visual." + k: v for k, v in ClipVisual(depth=1).state_dict().items()}
    sd["visual.trunk.blocks.0.mlp.fc1.weight"] = torch.zeros(10, 768)
    del sd["visual.trunk.norm.bias"]
    torch.save(sd, tmp_path / "bad.bin")
    with pytest.raises(biomedclip.CheckpointMismatch, match=r"bad\.bin.*missing trunk\.norm\.bias.*fc1\.weight: shape"):
        biomedclip.build_from_state(biomedclip.visual_state_dict(tmp_path / "bad.bin"), tmp_path / "bad.bin")
    torch.save({"text.proj.weight": torch.zeros(2, 2)}, tmp_path / "text.bin")
    with pytest.raises(biomedclip.CheckpointMismatch, match="no 'visual"):
        biomedclip.visual_state_dict(tmp_path / "text.bin")


def test_placeholder_card_says_not_installed(tmp_path):
    assert biomedclip.main(["--placeholder", "--out", str(tmp_path)]) == 0
    card = json.loads((tmp_path / "model.json").read_text())
    assert card["approach"] == "embedding" and card["file"] == "model.onnx" and not (tmp_path / "model.onnx").exists()
    assert card["description"].startswith("NOT INSTALLED") and "huggingface.co/" + biomedclip.HF_REPO in card["description"]
    assert card["input"]["normalisation"]["std"][2] == pytest.approx(0.27577711)
    # the committed placeholder is exactly what the script writes (until a user converts the real weights there)
    committed = biomedclip.Path(__file__).resolve().parents[2] / "resources" / "models" / "biomedclip-vitb16" / "model.json"
    if not (committed.parent / "model.onnx").exists():
        assert json.loads(committed.read_text()) == card
