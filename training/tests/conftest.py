"""Shared test setup: import path, the optional third-party data, and a tiny synthetic dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TRAINING = Path(__file__).resolve().parents[1]
REPO = TRAINING.parent
sys.path.insert(0, str(TRAINING))

SHARED_KNEE_KL = REPO.parent / "shared" / "data" / "knee-kl" / "kneeKL224-clahe"
HAS_SHARED = SHARED_KNEE_KL.is_dir()
needs_shared = pytest.mark.skipif(
    not HAS_SHARED, reason=f"third-party knee data not found at {SHARED_KNEE_KL} (tests on real crops skipped)"
)


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory) -> Path:
    from kneegrade_train.synthetic import write_dataset

    return write_dataset(tmp_path_factory.mktemp("synthetic"), {"train": 4, "val": 2})
