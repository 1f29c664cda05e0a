"""The sheet itself: paper with grain, printed ruling and dirt, or a chalkboard, and ink laid on it.

Sheets are H×W×3 float32 BGR in 0..1.
"""
from __future__ import annotations

import cv2
import numpy as np

from .layout import Ruling, Writing
from .noise import smooth_noise, tinted

# BGR colours
BALLPOINT_BLUE = (0.62, 0.32, 0.16)
BLACK_PEN = (0.13, 0.12, 0.12)
PENCIL_GREY = (0.38, 0.37, 0.36)
GREEN_BOARD = (0.2, 0.28, 0.16)
BLACK_BOARD = (0.13, 0.13, 0.12)
CHALK = (0.9, 0.92, 0.92)
RULING_BLUE = (225, 185, 140)  # 8-bit, printed with OpenCV's anti-aliased lines
MARGIN_RED = (140, 128, 230)


def paper(writing: Writing, texture: float, n_specks: int, rng: np.random.Generator) -> np.ndarray:
    """Off-white paper with grain, dirt, and the printed lines of ``writing.ruling`` if any."""
    h, w = writing.ink.shape
    tint = np.array([0.93, 0.95, 0.96]) + rng.uniform(-0.04, 0.02, 3)
    grain = texture * (smooth_noise((h, w), (h // 2, w // 2), rng) + 0.5 * smooth_noise((h, w), (h // 40, w // 40), rng))
    sheet = tinted(1 + grain, tint)
    # Ruling and dirt darken the paper the way ink does, so they share one multiplicative layer.
    printed = np.full((h, w, 3), 255, np.uint8)
    if writing.ruling:
        _print_ruling(printed, writing.ruling, writing.left, rng)
    dirt = cv2.convertScaleAbs(specks((h, w), n_specks, rng), alpha=0.75)
    cv2.subtract(printed, cv2.merge([dirt] * 3), dst=printed)
    return cv2.multiply(sheet, printed, scale=1 / 255, dtype=cv2.CV_32F)


def _print_ruling(printed: np.ndarray, ruling: Ruling, left: int, rng: np.random.Generator) -> None:
    h, w = printed.shape[:2]
    thickness = int(rng.integers(1, 3))
    strength = rng.uniform(0.4, 1.0)  # printed lines are faint on some pads, strong on others
    blue = tuple(255 - strength * (255 - c) for c in RULING_BLUE)
    for y in np.arange(ruling.offset % ruling.pitch, h, ruling.pitch):
        cv2.line(printed, (0, round(y)), (w, round(y)), blue, thickness, cv2.LINE_AA)
    if ruling.squared:
        for x in np.arange(rng.uniform(0, ruling.pitch), w, ruling.pitch):
            cv2.line(printed, (round(x), 0), (round(x), h), blue, thickness, cv2.LINE_AA)
        return
    margin = left - rng.uniform(0.03, 0.08) * w
    if margin > 0 and rng.random() < 0.5:
        red = tuple(255 - strength * (255 - c) for c in MARGIN_RED)
        cv2.line(printed, (round(margin), 0), (round(margin), h), red, thickness + 1, cv2.LINE_AA)


def board(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A green or black chalkboard with the pale smudges of wiped chalk."""
    colour = np.array(GREEN_BOARD if rng.random() < 0.6 else BLACK_BOARD)
    smudge = np.maximum(smooth_noise(shape, (shape[0] // 150, shape[1] // 150), rng), 0) * rng.uniform(0.02, 0.06)
    grain = 0.03 * smooth_noise(shape, (shape[0] // 2, shape[1] // 2), rng)
    return tinted(1 + (smudge + grain) / np.float32(colour.mean()), colour)


def pen(pencil_chance: float, rng: np.random.Generator) -> tuple[tuple[float, float, float], bool]:
    """A pen colour for paper, and whether it is a (grainy) pencil."""
    if rng.random() < pencil_chance:
        return PENCIL_GREY, True
    return (BALLPOINT_BLUE if rng.random() < 0.5 else BLACK_PEN), False


def grainy(ink: np.ndarray, rng: np.random.Generator, low: float) -> np.ndarray:
    """Pencil and chalk leave ink only on the tops of the surface's grain."""
    h, w = ink.shape
    coverage = low + (1 - low) * np.clip(0.5 + 0.5 * smooth_noise((h, w), (h // 2, w // 2), rng), 0, 1)
    return ink * coverage


def lay_ink(sheet: np.ndarray, ink: np.ndarray, colour: tuple[float, float, float]) -> None:
    """Ink of ``colour`` covering each pixel by ``ink`` (0..1), in place.

    Dark ink on paper multiplies (a stroke over a printed line stays dark); light chalk on a
    dark board covers.
    """
    if np.mean(colour) > 0.6:
        cv2.multiply(sheet, cv2.merge([1 - ink] * 3), dst=sheet)
        cv2.add(sheet, tinted(ink, colour), dst=sheet)
    else:
        cv2.multiply(sheet, cv2.merge([1 - ink * np.float32(1 - c) for c in colour]), dst=sheet)


def specks(shape: tuple[int, int], count: int, rng: np.random.Generator) -> np.ndarray:
    """A uint8 mask of ``count`` dust and dirt particles, from a single pixel to a small blot."""
    mask = np.zeros(shape, np.uint8)
    for _ in range(count):
        centre = (int(rng.integers(shape[1])), int(rng.integers(shape[0])))
        axes = (int(rng.integers(0, 4)), int(rng.integers(0, 3)))
        cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, int(rng.integers(120, 256)), -1, cv2.LINE_AA)
    return mask
