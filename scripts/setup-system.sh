#!/usr/bin/env bash
# System packages the full test suite uses (Debian): Chromium for the renderer tests, pydicom + GDCM
# as the reference DICOM decoder. Each is optional: the tests that need one skip and say so.
set -uo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -q >/dev/null || echo "[setup-system] apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium python3-pydicom python3-gdcm >/dev/null \
    || echo "[setup-system] some packages could not be installed: their tests will skip"
fi
