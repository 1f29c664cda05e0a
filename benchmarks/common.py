"""What several benchmarks share: the MNIST test digits their pages are drawn from."""
from __future__ import annotations

import sys
from pathlib import Path

from digitocr.mnist import DataError, Split
from digitocr.synth import test_digits


def test_digits_or_exit(folder: Path | None = None) -> Split:
    """The MNIST test split (from ``folder``, else $DIGITOCR_DATA); a one-line error and exit if unusable."""
    try:
        return test_digits(folder)
    except DataError as err:
        sys.exit(f"error: {err}")
