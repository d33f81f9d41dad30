#!/usr/bin/env bash
# Create the project's Python venv (.venv, git-ignored) for the training pipeline and its tests.
# On this kind of machine pip resolves from the local wheel index; elsewhere from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m venv .venv
PIP_ARGS=()
if [ -d /opt/pypi/simple ]; then
  PIP_ARGS=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple)
  [ -d /opt/wheels ] && PIP_ARGS+=(--find-links /opt/wheels)
fi
.venv/bin/pip install -q "${PIP_ARGS[@]}" -r training/requirements.txt
echo "[setup-python] .venv ready"
