"""The scale a photo is read at: one whose digits are far taller than reading needs is shrunk first.

A phone photo of a sheet has 12 megapixels or more and digits 100 to 300 px tall, where a crop
needs 20 (MNIST's) and segmentation was made on digits 24 to 76 px tall. Every step of
segmentation costs in proportion to the pixels, and digits far taller than that are read less
well (benchmarks/big_photos.py), so such a photo is read shrunk until its digits are WORK_HEIGHT
tall, as measured on a copy WORK_SIDE pixels long first. A big photo with small digits
(a whole form shot from afar) is not shrunk below what they need, and a photo no longer than
WORK_SIDE is read as it is.
"""
from __future__ import annotations

import numpy as np

from .binarize import to_gray
from .heights import measure
from .loading import scaled
from .sheet import find_sheet

WORK_SIDE = 2000  # pixels of the longer side: photos up to this are read as they are
WORK_HEIGHT = 80  # pixels: the digits' height in a photo shrunk to be read
LEAST_SIDE = 800  # pixels of the longer side: a close-up is not shrunk further (its digits fill it)


def working_scale(image: np.ndarray) -> float:
    """The factor (at most 1) by which to shrink ``image`` before reading it."""
    side = max(image.shape[:2])
    if side <= WORK_SIDE:
        return 1.0
    least = WORK_SIDE / side
    small = to_gray(scaled(image, least))
    *_, height, _ = measure(small, find_sheet(small))  # the digits' height in the small copy
    if height == 0:  # nothing like digits at that size: maybe they are too small for it
        return 1.0
    return min(1.0, max(LEAST_SIDE / side, least * WORK_HEIGHT / height))
