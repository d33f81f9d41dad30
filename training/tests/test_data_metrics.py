"""Data loading, the input contract and the card metrics."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import SHARED_KNEE_KL, needs_shared
from kneegrade_train.data import list_split, load_grey, load_split_cached
from kneegrade_train.metrics import summary, weighted_kappa
from kneegrade_train.preprocess import to_input


def test_list_split_reads_grade_folders(synthetic_root):
    items = list_split(synthetic_root, "train")
    assert len(items) == 20
    assert sorted({g for _, g in items}) == [0, 1, 2, 3, 4]


def test_missing_split_and_bad_grade_folder_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="val"):
        list_split(tmp_path, "val")
    (tmp_path / "train" / "7").mkdir(parents=True)
    with pytest.raises(ValueError, match="0..4"):
        list_split(tmp_path, "train")


def test_load_grey_takes_one_channel_and_area_resamples(tmp_path):
    rgb = np.zeros((448, 448, 3), np.uint8)
    rgb[..., 0] = 200  # WebP stores grey as three equal channels; the first one is the image
    rgb[..., 1] = 17
    Image.fromarray(rgb).save(tmp_path / "x.png")
    g = load_grey(tmp_path / "x.png")
    assert g.shape == (224, 224) and g.dtype == np.uint8 and int(g.mean()) == 200


def test_cache_roundtrip(synthetic_root, tmp_path):
    x1, y1, p1 = load_split_cached(synthetic_root, "val", tmp_path)
    assert len(list(tmp_path.glob("val-*.npz"))) == 1
    x2, y2, p2 = load_split_cached(synthetic_root, "val", tmp_path)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2) and p1 == p2
    assert x1.shape == (10, 224, 224)


def test_undecodable_image_is_named_and_skipped(synthetic_root, tmp_path, capsys):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(synthetic_root, root)
    (root / "val" / "3" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    x, y, paths = load_split_cached(root, "val", tmp_path / "cache")
    assert len(x) == len(y) == len(paths) == 10 and not any(p.endswith("broken.png") for p in paths)
    assert "broken.png: cannot decode" in capsys.readouterr().err
    x2, y2, paths2 = load_split_cached(root, "val", tmp_path / "cache")  # from the cache: same alignment
    assert np.array_equal(y, y2) and paths == paths2


def test_to_input_contract():
    x = torch.tensor([[[0, 255], [255, 0]]], dtype=torch.uint8).repeat_interleave(112, 1).repeat_interleave(112, 2)
    t = to_input(x, 112)
    assert t.shape == (1, 3, 224 // 2, 224 // 2)
    assert t.min().item() == -2.0 and t.max().item() == 2.0  # (0 - .5)/.25 and (1 - .5)/.25
    assert torch.equal(t[:, 0], t[:, 2])


def test_weighted_kappa_values():
    y = np.array([0, 1, 2, 3, 4])
    assert weighted_kappa(y, y) == pytest.approx(1.0)
    # hand-computed: one KL2 read as KL4 among 5 knees. Observed sum of w*o = (2-4)^2 = 4; predicted
    # marginals (1,1,0,1,2) against true (1,1,1,1,1) give an expected sum of w*e = 120/5 = 24.
    assert weighted_kappa(y, np.array([0, 1, 4, 3, 4])) == pytest.approx(1 - 4 / 24)
    m = summary(y, np.array([0, 1, 4, 3, 4]))
    assert m["adjacentAccuracy"] == pytest.approx(0.8) and m["exactAccuracy"] == pytest.approx(0.8)
    assert m["perGrade"][4]["precision"] == pytest.approx(0.5) and m["perGrade"][2]["recall"] == 0.0
    assert m["confusion"][2][4] == 1


@needs_shared
def test_real_val_split_counts():
    counts = np.bincount([g for _, g in list_split(SHARED_KNEE_KL, "val")], minlength=5)
    assert counts.tolist() == [328, 153, 212, 106, 27]  # SOURCES.md
    img = load_grey(list_split(SHARED_KNEE_KL, "val")[0][0])
    assert img.shape == (224, 224)
