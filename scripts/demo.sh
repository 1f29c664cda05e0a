#!/usr/bin/env bash
# Install digitocr in a fresh virtual environment (.venv) and read a bundled sample photo.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet .
.venv/bin/digitocr read samples/three-rows.jpg
