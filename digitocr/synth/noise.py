"""Random fields (paper grain, light falloff, smudges, wood, sensor noise) and colour planes.

Whole-page arithmetic goes through OpenCV: numpy's broadcasting over a 3-channel last axis
and its normal generator are several times slower, and a page must take well under 100 ms.
"""
from __future__ import annotations

import cv2
import numpy as np


def gaussian(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """H×W float32 standard normal noise, seeded from ``rng``."""
    out = np.empty(shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(2**31)))
    cv2.randn(out, 0.0, 1.0)
    return out


def smooth_noise(shape: tuple[int, int], grid: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """An H×W float32 field of roughly unit amplitude that varies over ``grid`` (rows, columns) cells."""
    cells = gaussian((max(2, grid[0]), max(2, grid[1])), rng)
    return cv2.resize(cells, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def tinted(plane: np.ndarray, colour) -> np.ndarray:
    """H×W×3: the H×W ``plane`` times each channel of the BGR ``colour``."""
    return cv2.merge([plane * np.float32(c) for c in colour])
