#!/usr/bin/env bash
# Run the test suite in a fresh virtual environment (.venv): what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -c constraints.txt ".[dev]"
# MNIST lives outside the repo: ../shared/data/mnist unless DIGITOCR_DATA says otherwise.
export DIGITOCR_DATA="${DIGITOCR_DATA:-$(cd .. && pwd)/shared/data/mnist}"
# The pytest entry point (unlike `python -m pytest`) keeps the checkout off sys.path, so the tests
# exercise the installed package, shipped model included.
.venv/bin/pytest -p no:cacheprovider tests "$@"
