"""Reading a blob as two touching digits at once, with the pair model.

When two digits overlap, no cut separates them cleanly: every cut leaves a piece of one digit on
the other, and the digit model misreads both pieces. The pair model reads the blob whole, as the
ICFHR digit-string winners read touching pairs, and its reading competes with the cut readings
in the split search (split.py).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .classifier import Classifier
from .normalize import to_crop
from .paths import shipped_pair_model_path
from .segment import Blob

PAIR_SIDE, PAIR_BOX = (28, 56), (20, 48)  # crop size, and the box the pair's ink is fitted into


def to_pair(mask: np.ndarray) -> np.ndarray:
    """Blob ink mask → 28×56 uint8 crop, white on black, made as ``to_mnist`` makes a digit's."""
    return to_crop(mask, PAIR_BOX, PAIR_SIDE)


def load_pair_model(path: Path | None = None) -> Classifier | None:
    """The pair model (the shipped one unless ``path``), or None when there is none: reading then
    chooses among the cut paths alone, as before the pair model existed."""
    path = path or shipped_pair_model_path()
    return Classifier(path, PAIR_SIDE, heads=2) if path.is_file() else None


def read_pairs(model: Classifier, blobs: list[Blob]) -> np.ndarray:
    """K blobs → K×2×10: the probabilities of the left digit and of the right digit of each."""
    crops = np.array([to_pair(blob.mask) for blob in blobs], np.uint8).reshape(-1, *PAIR_SIDE)
    return model.predict(crops)
