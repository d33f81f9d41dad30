"""int8 variants as model folders of their own (kneegrade_train.quantize), on a CI-sized smoke model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
import pytest

from conftest import REPO
from kneegrade_train import quantize, smoke
from kneegrade_train.card import sha256_file
from kneegrade_train.onnx_eval import session

SIZE = 32


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A smoke model folder (short training + export, synthetic data) and the data it was made from."""
    out = tmp_path_factory.mktemp("smoke")
    assert smoke.main(["--out", str(out), "--size", str(SIZE), "--train-images", "20", "--val-images", "10"]) == 0
    return {"model": out / "model", "data": out / "data", "cache": out / "cache"}


def _args(source, out, *extra):
    return ["--model-dir", str(source["model"]), "--data", str(source["data"]), "--out", str(out),
            "--threads", "1", "--cache", str(source["cache"]), *extra]


def _no_leftovers(parent):
    return not [p.name for p in parent.iterdir() if ".partial-" in p.name or ".old-" in p.name]


@pytest.fixture(scope="module")
def int8_dir(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("variants") / "int8"
    assert quantize.main(_args(source, out, "--tolerance", "10")) == 0
    return out


def test_writes_an_int8_model_folder(source, int8_dir):
    src = json.loads((source["model"] / "model.json").read_text())
    card = json.loads((int8_dir / "model.json").read_text())
    onnx_path = int8_dir / "model.onnx"
    assert sorted(p.name for p in int8_dir.iterdir()) == ["model.json", "model.onnx"]
    assert _no_leftovers(int8_dir.parent)
    umask = os.umask(0o022)
    os.umask(umask)
    assert int8_dir.stat().st_mode & 0o777 == 0o777 & ~umask  # not left 0700 as mkdtemp makes it

    assert card["name"] == src["name"] + "-int8" and card["name"].endswith("-int8")
    assert card["version"] == src["version"] and card["file"] == "model.onnx"
    assert card["sha256"] == sha256_file(onnx_path) != src["sha256"]
    assert card["input"] == src["input"] and card["output"] == src["output"] and card["tta"] == src["tta"]
    assert card["description"].startswith(src["description"])
    assert f"int8 (static QDQ) variant of {src['name']} {src['version']}" in card["description"]
    assert "stay in float32" in card["description"]

    t = card["training"]
    for k, v in src["training"].items():  # the source's training history is kept
        assert t[k] == v
    assert t["quantiseCommand"].startswith("python -m kneegrade_train.quantize --model-dir ")
    q = t["quantisation"]
    assert q["source"] == {"name": src["name"], "version": src["version"], "file": "model.onnx", "sha256": src["sha256"]}
    assert len(q["keptFloat"]) == 2 and q["tolerance"] == 10.0

    v = card["validation"]
    assert v["split"] == "val" and v["n"] == 10 and v["precision"] == "int8" and v["tta"] == ["hflip"]
    assert len(v["perGrade"]) == 5 and np.array(v["confusion"]).sum() == 10
    for k in ("qwk", "linearKappa", "exactAccuracy", "adjacentAccuracy", "mae"):
        assert isinstance(v[k], float)
    src_key = src["validation"]["precision"]
    assert set(v["precisionComparison"]) == {src_key, "int8"}
    assert v["precisionComparison"]["int8"]["qwk"] == v["qwk"]
    assert q["qwkDelta"] == pytest.approx(v["qwk"] - v["precisionComparison"][src_key]["qwk"])

    proto = onnx.load(str(onnx_path))
    ops = {n.op_type for n in proto.graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    assert {p.key: p.value for p in proto.metadata_props}["kneegrade.precision"] == "int8"
    assert onnx_path.stat().st_size < (source["model"] / "model.onnx").stat().st_size
    logits = session(onnx_path).run(None, {"input": np.zeros((1, 3, SIZE, SIZE), np.float32)})[0]
    assert logits.shape == (1, 5) and np.isfinite(logits).all()


@pytest.mark.skipif(shutil.which("node") is None or not (REPO / "node_modules" / "tsx").is_dir(),
                    reason="node or the app's node_modules not available")
def test_the_app_registry_accepts_the_int8_folder(int8_dir, tmp_path):
    """`kneegrade models add` (TypeScript card parser, sha256, ONNX signature check) installs it."""
    empty = tmp_path / "no-default-models"
    empty.mkdir()
    env = {**os.environ, "KNEEGRADE_DEFAULT_MODELS": str(empty)}
    r = subprocess.run(["node", str(REPO / "bin" / "kneegrade.mjs"), "--db", str(tmp_path / "study.db"), "--json",
                        "models", "add", str(int8_dir)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    entry = json.loads(r.stdout)
    card = json.loads((int8_dir / "model.json").read_text())
    assert entry["status"] == "ready" and entry["name"] == card["name"] and entry["source"] == "user"
    assert entry["sha256"] == card["sha256"] and entry["validation"]["qwk"] == card["validation"]["qwk"]
    assert (tmp_path / "models" / card["name"] / "model.onnx").is_file()


def test_a_qwk_change_beyond_the_tolerance_writes_nothing(source, tmp_path, capsys):
    out = tmp_path / "int8"
    assert quantize.main(_args(source, out, "--tolerance", "-1")) == 1  # |change| >= 0 > -1: never met
    err = capsys.readouterr().err
    assert "not shipped" in err and "tolerance -1.0" in err and "nothing written" in err
    assert not out.exists() and _no_leftovers(tmp_path)


def test_an_altered_source_file_is_refused_with_its_name(source, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(source["model"], src)
    with open(src / "model.onnx", "ab") as f:
        f.write(b"\0")
    out = tmp_path / "int8"
    with pytest.raises(SystemExit, match=r"src/model\.onnx: sha256 [0-9a-f]{64} differs from the card's"):
        quantize.main(["--model-dir", str(src), "--data", str(source["data"]), "--out", str(out),
                       "--cache", str(source["cache"])])
    assert not out.exists()


def test_an_existing_folder_is_replaced_only_when_asked(source, int8_dir, tmp_path):
    out = tmp_path / "int8"
    shutil.copytree(int8_dir, out)
    (out / "model.json").write_text("{}")
    with pytest.raises(SystemExit, match="already exists"):
        quantize.main(_args(source, out, "--tolerance", "10"))
    assert (out / "model.json").read_text() == "{}"
    assert quantize.main(_args(source, out, "--tolerance", "10", "--replace")) == 0
    card = json.loads((out / "model.json").read_text())
    assert card["sha256"] == sha256_file(out / "model.onnx") and "--replace" in card["training"]["quantiseCommand"]
    assert _no_leftovers(tmp_path)


def test_bench_script_keeps_its_json_output(source, tmp_path):
    """bench/quantize_int8.py runs on the shared code; bench/sections/inference.ts parses these keys."""
    r = subprocess.run([sys.executable, str(REPO / "bench" / "quantize_int8.py"), "--onnx",
                        str(source["model"] / "model.onnx"), "--size", str(SIZE), "--data", str(source["data"]),
                        "--out", str(tmp_path / "b.onnx"), "--threads", "1"],
                       capture_output=True, text=True, timeout=600, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert list(res) == ["onnx", "int8File", "quantiseSeconds", "valN", "calibrate", "keptFloat", "fp32", "int8",
                         "qwkDelta", "keep"]
    assert set(res["int8"]) == {"qwk", "exactAccuracy", "bytes"} and res["valN"] == 10 and res["keep"] is True
