"""model.json: the model card KneeGrade validates (src/core/inference/card.ts, docs/ARCHITECTURE.md).

The input contract written here is the one ``preprocess.py`` implements and the models were trained
with; the app refuses to run a model whose card does not state it completely.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from .data import NATIVE_SIZE, is_pack, list_split, read_manifest
from .preprocess import MEAN, STD

SCHEMA = "kneegrade-model-card/1"

KNEE_KL_LICENCE = "CC BY 4.0"
KNEE_KL_ATTRIBUTION = (
    "Chen P. (2018), Knee Osteoarthritis Severity Grading Dataset, Mendeley Data, doi:10.17632/56rmx5bjcr.1 "
    "(CC BY 4.0); Chen P, Gao L, Shi X, Allen K, Yang L, \"Fully automatic knee osteoarthritis severity grading "
    "using deep neural networks with a novel ordinal loss\", Comput. Med. Imaging Graph. 75 (2019) 84-92. "
    "The Osteoarthritis Initiative (OAI) is a public-private partnership comprised of five contracts funded by "
    "the National Institutes of Health; this model was prepared using an OAI public use data set and does not "
    "necessarily reflect the opinions or views of the OAI investigators, the NIH, or the private funding partners."
)


def sha256_file(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_commit() -> str | None:
    """HEAD of this checkout, with ``+dirty`` when the training code has uncommitted changes."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def data_provenance(data_root: Path) -> dict:
    """``data``/``licence``/``attribution`` for the card, with the train counts read from the folder (or pack)."""
    counts = [0] * 5
    for _, g in list_split(data_root, "train"):
        counts[g] += 1
    count_text = f"{sum(counts)} knees; KL0-4 = {', '.join(map(str, counts))}"
    name, where, packed = data_root.resolve().name, str(data_root.resolve()), ""
    if is_pack(data_root):  # a pack made by kneegrade_train.pack: credit the folder it was made from
        m = read_manifest(data_root)
        enc = m["encoding"]
        name, where = m["source"]["name"], m["source"]["folder"]
        packed = (f" Read from the pack {data_root.name} ({enc['size']} px, "
                  f"{'lossless ' + enc['format'] if enc['lossless'] else enc['format'] + ' quality ' + str(enc['quality'])}; "
                  f"payload sha256 {m['payload']['sha256'][:16]}) made from that folder.")
    if name.lower().startswith("kneekl"):
        return {
            "data": (
                f"kneeKL224 train split ({count_text}): OAI baseline bilateral PA knee radiographs, one joint crop "
                "per knee, 224 px, 8-bit, CLAHE already applied by the copy used (github:Rohan-145/KneeOA_Analysis "
                f"@ 614e752c), labels = OAI central readers' KL grade. Folder: {name}." + packed
            ),
            "licence": KNEE_KL_LICENCE,
            "attribution": KNEE_KL_ATTRIBUTION,
        }
    return {"data": f"{where} train split ({count_text})" + packed, "licence": "unknown", "attribution": "unknown"}


def input_contract(size: int, mean=(MEAN,) * 3, std=(STD,) * 3, contrast: dict | None = None) -> dict:
    return {
        "name": "input",
        "layout": "NCHW",
        "dtype": "float32",
        "channels": 3,
        "size": int(size),
        "crop": {"kind": "joint-centred-square", "sizeMm": 140, "nativePx": NATIVE_SIZE},
        "resize": "area-to-native-then-bilinear",
        # The training crops were CLAHE-enhanced: the app applies CLAHE unless the image already had it.
        "contrast": contrast or {"step": "clahe", "clipLimit": 2.0, "tiles": 8},
        "normalisation": {"scale": 255, "mean": [float(m) for m in mean], "std": [float(s) for s in std]},
        "mirrorLeft": False,
    }


def end_to_end_card(
    *, name: str, version: str, architecture: str, onnx_path: Path, size: int, training: dict, validation: dict,
    description: str,
) -> dict:
    return {
        "schema": SCHEMA,
        "name": name,
        "version": version,
        "approach": "end-to-end",
        "architecture": architecture,
        "file": onnx_path.name,
        "sha256": sha256_file(onnx_path),
        "description": description,
        "input": input_contract(size),
        "output": {"name": "logits", "kind": "logits", "classes": 5},
        "tta": ["hflip"],
        "training": training,
        "validation": validation,
    }
