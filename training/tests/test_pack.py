"""Data packs (kneegrade_train.pack): one file that carries the train and val images to a GPU machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from conftest import REPO, SHARED_KNEE_KL, needs_shared
from kneegrade_train import export, gpu, pack, train
from kneegrade_train.checkpoint import load_checkpoint
from kneegrade_train.card import data_provenance
from kneegrade_train.data import PackError, list_split, load_split_cached, read_manifest


def _rel(items, root):
    return [(p.relative_to(root).as_posix(), g) for p, g in items]


@pytest.fixture(scope="module")
def jpeg_pack(synthetic_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("packs") / "syn-q90.kgpack"
    pack.build(synthetic_root, out, size=224, fmt="jpeg", quality=90, upload_limit_mib=0)
    return out


def test_pack_reads_back_labels_counts_and_paths(synthetic_root, jpeg_pack, tmp_path):
    m = read_manifest(jpeg_pack)
    assert m["schema"] == "kneegrade-pack/1" and m["counts"] == {"train": [4] * 5, "val": [2] * 5} and m["total"] == 30
    assert m["encoding"]["format"] == "jpeg" and m["encoding"]["quality"] == 90 and m["encoding"]["size"] == 224
    assert m["source"]["folder"] == str(synthetic_root.resolve()) and len(m["source"]["sha256"]) == 64
    with zipfile.ZipFile(jpeg_pack) as zf:  # readable with the standard library, manifest first
        names = zf.namelist()
        assert names[0] == "manifest.json" and len(names) == 31
        assert all(zf.getinfo(n).compress_type == zipfile.ZIP_STORED for n in names[1:])
        assert {n.split("/")[1] for n in names[1:]} == {"train", "val"}
    assert all(e["member"] == f"images/{e['split']}/{e['grade']}/{e['source'].split('/')[-1][:-4]}.jpg" for e in m["images"])
    assert pack.verify(jpeg_pack) == []

    diffs = []
    for split in ("train", "val"):
        assert _rel(list_split(jpeg_pack, split), jpeg_pack) == _rel(list_split(synthetic_root, split), synthetic_root)
        xf, yf, pf = load_split_cached(synthetic_root, split, tmp_path / "c")
        xp, yp, pp = load_split_cached(jpeg_pack, split, tmp_path / "c")
        assert xp.shape == xf.shape and xp.dtype == np.uint8 and np.array_equal(yp, yf)
        assert [str(jpeg_pack / p.split(str(synthetic_root) + "/")[1]) for p in pf] == pp
        diffs.append(np.abs(xp.astype(int) - xf))
    d = np.concatenate(diffs)
    assert 0 < d.mean() < 3  # lossy, but close; the manifest's fidelity is exactly this
    assert d.mean() == pytest.approx(m["fidelity"]["at224"]["meanAbs"], abs=1e-4) and d.max() == m["fidelity"]["at224"]["maxAbs"]
    with pytest.raises(FileNotFoundError, match="test"):
        list_split(jpeg_pack, "test")


def test_lossless_pack_equals_source_pixels(synthetic_root, tmp_path):
    out = tmp_path / "syn-png.kgpack"
    assert pack.main(["--data", str(synthetic_root), "--out", str(out), "--quality", "100", "--upload-limit-mib", "0"]) == 0
    m = read_manifest(out)
    assert m["encoding"]["format"] == "png" and m["encoding"]["lossless"] is True
    assert m["fidelity"]["at224"] == {**m["fidelity"]["at224"], "meanAbs": 0.0, "maxAbs": 0}
    for split in ("train", "val"):
        xf, yf, _ = load_split_cached(synthetic_root, split, tmp_path / "c")
        xp, yp, _ = load_split_cached(out, split, tmp_path / "c")
        assert np.array_equal(xf, xp) and np.array_equal(yf, yp)
    # the same inputs give the same bytes (fixed member times, no timestamps in the manifest)
    again = tmp_path / "again.kgpack"
    pack.build(synthetic_root, again, quality=100, upload_limit_mib=0, command=m["command"])
    assert again.read_bytes() == out.read_bytes()


def test_smaller_pack_is_resampled_back_to_224_and_exact_at_its_size(synthetic_root, tmp_path):
    out = tmp_path / "syn-112.kgpack"
    m = pack.build(synthetic_root, out, size=112, quality=100, splits=("val",), upload_limit_mib=0)
    x, y, _ = load_split_cached(out, "val", tmp_path / "c")
    assert x.shape == (10, 224, 224) and m["encoding"]["size"] == 112
    # lossless 2x area-downsampling is what the 112 px model input is anyway (to within uint8 rounding)
    assert m["fidelity"]["atModelInput"]["size"] == 112 and m["fidelity"]["atModelInput"]["maxAbs"] <= 1.0
    with pytest.raises(FileNotFoundError, match="train"):
        load_split_cached(out, "train", tmp_path / "c")


def test_rewritten_pack_is_not_served_from_a_stale_cache(synthetic_root, tmp_path):
    out = tmp_path / "p.kgpack"
    pack.build(synthetic_root, out, fmt="jpeg", quality=95, splits=("val",), upload_limit_mib=0)
    x1, _, _ = load_split_cached(out, "val", tmp_path / "c")
    pack.build(synthetic_root, out, fmt="jpeg", quality=20, splits=("val",), upload_limit_mib=0)
    x2, _, _ = load_split_cached(out, "val", tmp_path / "c")
    assert not np.array_equal(x1, x2) and len(list((tmp_path / "c").glob("val-*.npz"))) == 2


def test_webp_pack_decodes(synthetic_root, tmp_path):
    out = tmp_path / "w.kgpack"
    pack.build(synthetic_root, out, fmt="webp", quality=40, splits=("val",), upload_limit_mib=0)
    assert read_manifest(out)["images"][0]["member"].endswith(".webp") and pack.verify(out) == []
    x, y, _ = load_split_cached(out, "val", tmp_path / "c")
    xf, _, _ = load_split_cached(synthetic_root, "val", tmp_path / "c")
    assert x.shape == (10, 224, 224) and np.abs(x.astype(int) - xf).mean() < 6


def test_size_limit_is_refused_and_nothing_written(synthetic_root, tmp_path, capsys):
    out = tmp_path / "big.kgpack"
    rc = pack.main(["--data", str(synthetic_root), "--out", str(out), "--format", "jpeg", "--quality", "90",
                    "--max-mib", "0.001", "--upload-limit-mib", "0"])
    err = capsys.readouterr().err
    assert rc == 1 and "exceeds --max-mib 0.001" in err and "MiB" in err and "lower --quality" in err
    assert list(tmp_path.iterdir()) == []  # neither the pack nor a partial file


def test_auto_quality_fits_the_budget(synthetic_root, tmp_path, capsys):
    out = tmp_path / "auto.kgpack"
    full = pack.build(synthetic_root, out, fmt="jpeg", quality=95, upload_limit_mib=0)["payload"]["bytes"]
    budget_mib = (full * 0.6 + 40_000) / (1 << 20)  # room for about 60% of the q95 payload (plus zip and manifest)
    m = pack.build(synthetic_root, out, fmt="jpeg", quality="auto", max_mib=budget_mib, upload_limit_mib=0)
    q = m["encoding"]["quality"]
    assert 1 <= q < 95 and out.stat().st_size <= budget_mib * (1 << 20) and "auto: the highest that fits" in m["encoding"]["qualityChosen"]
    assert "auto quality: jpeg q48" in capsys.readouterr().out  # the binary search starts in the middle of 1..95
    rc = pack.main(["--data", str(synthetic_root), "--out", str(tmp_path / "tiny.kgpack"), "--max-mib", "0.0001",
                    "--upload-limit-mib", "0"])
    assert rc == 1 and "even webp quality 1" in capsys.readouterr().err and not (tmp_path / "tiny.kgpack").exists()


def test_upload_budget_counts_the_travelling_working_tree(synthetic_root, tmp_path, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".gitignore").write_text("packs/\nbig.bin\n")
    (repo / "tracked.bin").write_bytes(b"x" * 3000)
    subprocess.run(["git", "add", "tracked.bin", ".gitignore"], cwd=repo, check=True)
    (repo / "untracked.bin").write_bytes(b"y" * 500)
    (repo / "big.bin").write_bytes(b"z" * 100_000)  # ignored: does not travel unless carried
    assert pack.travelling_tree_bytes(repo) == 3000 + 500 + len("packs/\nbig.bin\n")
    (repo / "tracked.bin").write_bytes(b"x" * 2 * (1 << 20))  # 2 MiB of working tree
    out = repo / "packs" / "p.kgpack"
    rc = pack.main(["--data", str(synthetic_root), "--out", str(out), "--format", "jpeg", "--quality", "50",
                    "--upload-limit-mib", "2"])
    err = capsys.readouterr().err
    assert rc == 1 and "exceeds the 2 MiB device upload less the 2.00 MiB working tree" in err
    assert not out.exists() and list(out.parent.iterdir()) == []
    assert pack.main(["--data", str(synthetic_root), "--out", str(out), "--format", "jpeg", "--quality", "50",
                      "--upload-limit-mib", "3"]) == 0
    assert "device upload: working tree 2.00 MiB + pack" in capsys.readouterr().out and out.exists()
    assert pack.main(["--check-upload", str(out), "--upload-limit-mib", "3"]) == 0
    assert 'carry: ["packs/p.kgpack"]' in capsys.readouterr().out
    assert pack.main(["--check-upload", str(out), "--upload-limit-mib", "2"]) == 1
    assert "OVER by" in capsys.readouterr().out


def _rewrite(src, dst, replace: dict[str, bytes]):
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w") as zo:
        for info in zi.infolist():
            zo.writestr(info, replace.get(info.filename, zi.read(info.filename)))


def test_corrupt_member_is_named(jpeg_pack, tmp_path, capsys):
    m = read_manifest(jpeg_pack)
    victim = next(e["member"] for e in m["images"] if e["split"] == "val" and e["grade"] == 3)
    bad = tmp_path / "bad.kgpack"
    _rewrite(jpeg_pack, bad, {victim: b"\xff\xd8\xff not a jpeg"})  # a good zip member that is no image
    x, y, paths = load_split_cached(bad, "val", tmp_path / "c")
    assert len(x) == len(y) == len(paths) == 9
    err = capsys.readouterr().err
    assert f"{bad}: {victim}: cannot decode" in err
    problems = pack.verify(bad)
    assert any(victim in p and "cannot decode" in p for p in problems)
    assert pack.main(["--verify", str(bad)]) == 1 and victim in capsys.readouterr().err

    # a damaged byte inside a stored member: zipfile's CRC check names it
    flipped = tmp_path / "flipped.kgpack"
    shutil.copyfile(jpeg_pack, flipped)
    with zipfile.ZipFile(flipped) as zf:
        info = zf.getinfo(victim)
    raw = bytearray(flipped.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    flipped.write_bytes(bytes(raw))
    x, _, _ = load_split_cached(flipped, "val", tmp_path / "c2")
    assert len(x) == 9 and f"{flipped}: {victim}: cannot decode" in capsys.readouterr().err

    junk = tmp_path / "junk.kgpack"
    junk.write_bytes(b"not a zip")
    with pytest.raises(PackError, match="junk.kgpack.*not a readable .kgpack"):
        list_split(junk, "train")


def test_train_and_export_take_a_pack(synthetic_root, jpeg_pack, tmp_path, capsys):
    run = tmp_path / "run"
    assert train.main(["--arch", "resnet18", "--data", str(jpeg_pack), "--out", str(run), "--size", "32", "--epochs", "1",
                       "--batch", "4", "--max-steps", "2", "--threads", "1", "--cache", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "[data] train 20 val 10 counts [4, 4, 4, 4, 4]" in out and "[epoch 1/1]" in out
    assert (run / "best.ckpt").exists() and (run / "last.ckpt").exists()
    # the card credits the folder the pack was made from, and names the pack
    prov = data_provenance(jpeg_pack)
    assert "syn-q90.kgpack" in prov["data"] and "jpeg quality 90" in prov["data"] and "20 knees" in prov["data"]
    # parity fixtures need the original pixels: a lossy pack is refused for them, by name
    with pytest.raises(SystemExit, match="syn-q90.kgpack.*original crops"):
        export.main(["--ckpt", str(run / "best.ckpt"), "--data", str(jpeg_pack), "--name", "x", "--out", str(tmp_path / "m"),
                     "--parity-dir", str(tmp_path / "parity"), "--cache", str(tmp_path / "c")])


def test_split_and_join_parts(tmp_path):
    src = tmp_path / "best.ckpt"
    src.write_bytes(os.urandom(2500))
    assert gpu.split_file(src, tmp_path / "o", part_bytes=1000) == ["best.ckpt.part00", "best.ckpt.part01", "best.ckpt.part02"]
    assert b"".join((tmp_path / "o" / f"best.ckpt.part0{i}").read_bytes() for i in range(3)) == src.read_bytes()
    small = tmp_path / "s.ckpt"
    small.write_bytes(b"abc")
    assert gpu.split_file(small, tmp_path / "o2") == ["s.ckpt.part00"]


RUN_SH = REPO / "training" / "gpu" / "run.sh"


def _run_sh(tmp_path, pack_path, budget="5", **env):
    env = {**os.environ, "OUT": str(tmp_path / "OUT"), "KG_WORK": str(tmp_path / "work"), "PYTHON": sys.executable,
           "OMP_NUM_THREADS": "1", **env}
    return subprocess.run(["bash", str(RUN_SH), str(pack_path), budget], env=env, capture_output=True, text=True, timeout=900)


def test_gpu_script_refuses_to_run_without_cuda(jpeg_pack, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    r = _run_sh(tmp_path, jpeg_pack)
    assert r.returncode == 3 and "CUDA is not available" in r.stdout
    r = _run_sh(tmp_path, tmp_path / "absent.kgpack")
    assert r.returncode == 2 and "no pack at" in r.stdout and "carry" in r.stdout


def test_gpu_script_plumbing_on_cpu(jpeg_pack, tmp_path):
    """training/gpu/run.sh end to end on CPU with a tiny run: both models, parts under $OUT, joined back here."""
    r = _run_sh(tmp_path, jpeg_pack, KG_ALLOW_CPU="1", KG_SIZE="32", KG_EPOCHS="1", KG_BATCH="4",
                KG_EXTRA="--max-steps 2 --threads 1", KG_RESERVE_MIN="0.5")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = tmp_path / "OUT"
    assert "[verify]" in r.stdout and "ok, 30 images" in r.stdout
    # resnet18 gets half of (5 min budget - 0.5 reserve - the start-up so far); convnext_atto what is left then
    # (the exact figures depend on how long start-up took, so only their bounds are checked)
    r18 = float(re.search(r"\[gpu\] resnet18: deadline ([\d.]+) min", r.stdout).group(1))
    cx = float(re.search(r"\[gpu\] convnext_atto: deadline ([\d.]+) min", r.stdout).group(1))
    assert 0 < r18 <= 2.25 and 0 < cx <= 4.5, (r18, cx)
    assert "[summary] resnet18: 1/1 epochs" in r.stdout and "[summary] convnext_atto: 1/1 epochs" in r.stdout
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # what the device tool can return: at most 8 files of at most 16 MiB, no more than two folders down
    assert len(files) <= 8 and all((out / f).stat().st_size <= 16 * (1 << 20) for f in files)
    assert all(f.count("/") <= 2 for f in files) and "summary.json" in files and "train.log" in files
    assert [f for f in files if f.startswith("resnet18/")] == [f"resnet18/best.ckpt.part0{i}" for i in range(3)]  # ~45 MB
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pack"] == str(jpeg_pack) and summary["models"]["resnet18"]["args"]["size"] == 32
    assert "[epoch 1/1]" in (out / "train.log").read_text()

    written = gpu.join(out, tmp_path / "home")
    assert [p.parent.name for p in written] == ["resnet18", "convnext_atto"]
    for p in written:
        ck = load_checkpoint(p)
        assert ck.size == 32 and ck.arch == p.parent.name
    (out / "resnet18" / "best.ckpt.part01").write_bytes(b"damaged")
    with pytest.raises(SystemExit, match="resnet18.*sha256"):
        gpu.join(out, tmp_path / "home2")


@needs_shared
def test_real_val_split_packs_with_its_counts(tmp_path):
    out = tmp_path / "val.kgpack"
    m = pack.build(SHARED_KNEE_KL, out, fmt="jpeg", quality=90, splits=("val",), upload_limit_mib=0)
    assert m["counts"]["val"] == [328, 153, 212, 106, 27] and m["source"]["name"] == "kneeKL224-clahe"
    assert m["source"]["folder"] == "shared/data/knee-kl/kneeKL224-clahe"
    assert 1.0 < m["fidelity"]["at224"]["meanAbs"] < 4.0  # JPEG q90 on CLAHE crops: ~2.3 grey levels
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["payload"]["sha256"] == m["payload"]["sha256"]
    assert _rel(list_split(out, "val"), out) == _rel(list_split(SHARED_KNEE_KL, "val"), SHARED_KNEE_KL)
