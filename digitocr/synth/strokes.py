"""Ink masks of single marks: MNIST digits re-drawn at a size and pen width, pen skips, separators.

Every mask is float32 in 0..1 (how much ink covers each pixel), cut tight around the mark.
"""
from __future__ import annotations

import cv2
import numpy as np

SEPARATORS = ".,-/"


def digit_ink(image: np.ndarray, height: int, pen_width: float) -> np.ndarray:
    """One 28×28 MNIST digit scaled to ``height`` px, strokes widened or thinned by
    ``pen_width`` MNIST pixels, edges sharpened the way a pen's are."""
    ys, xs = np.nonzero(image > 40)
    crop = image[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    scale = height / crop.shape[0]
    width = max(2, round(crop.shape[1] * scale))
    # Some MNIST digits were written with a faint pen; a photo of any pen shows dark strokes,
    # so faint pixels are lifted (square root) before the edge is drawn.
    grey = np.sqrt(np.clip(cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC), 0, 255) / np.float32(crop.max()))
    radius = round(abs(pen_width) * scale / 2)
    if radius:
        grey = np.pad(grey, radius)  # room for strokes that grow past the digit's box
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        grey = (cv2.dilate if pen_width > 0 else cv2.erode)(grey, kernel)
    # Upscaled MNIST strokes fade out over several pixels; a pen's edge is about one pixel wide.
    ink = np.clip((grey - 0.45) * 5.0 + 0.5, 0.0, 1.0)
    return _tight(ink)


def skip_pen(ink: np.ndarray, gap: float, rng: np.random.Generator) -> np.ndarray:
    """Erase a band ``gap`` px wide across one stroke, as when a ballpoint skips."""
    ys, xs = np.nonzero(ink > 0.6)
    i = rng.integers(len(ys))
    y, x = ys[i], xs[i]
    # The stroke's direction near the point is the main axis of the ink pixels around it.
    reach = max(3, ink.shape[0] // 8)
    near = (np.abs(ys - y) <= reach) & (np.abs(xs - x) <= reach)
    coords = np.stack([xs[near] - x, ys[near] - y]).astype(np.float64)
    _, vectors = np.linalg.eigh(coords @ coords.T)
    across = vectors[:, 0]  # smallest spread: perpendicular to the stroke
    half = across * ink.shape[0] * 0.15
    band = np.zeros(ink.shape, np.uint8)
    cv2.line(band, (round(x - half[0]), round(y - half[1])), (round(x + half[0]), round(y + half[1])), 1,
             thickness=max(1, round(gap)))
    return np.where(band > 0, 0.0, ink).astype(np.float32)


def separator_ink(char: str, height: int, stroke: float) -> np.ndarray:
    """A hand-drawn ``.`` ``,`` ``-`` or ``/`` for a row of digits ``height`` px tall; the mask is
    ``height`` px tall too, so it sits on the row's baseline like the digits."""
    t = max(1, round(stroke))
    r = max(1, round(stroke * 0.7))
    if char in ".,":
        mask = np.zeros((height, 3 * r + 2), np.uint8)
        centre = (mask.shape[1] // 2, height - 2 * r - 1)
        cv2.circle(mask, centre, r, 255, -1, cv2.LINE_AA)
        if char == ",":
            cv2.line(mask, centre, (centre[0] - r, height - 1), 255, t, cv2.LINE_AA)
    elif char == "-":
        width = max(3, round(height * 0.4))
        mask = np.zeros((height, width + 2 * t), np.uint8)
        cv2.line(mask, (t, height // 2), (t + width, height // 2 - t // 2), 255, t, cv2.LINE_AA)
    elif char == "/":
        width = max(3, round(height * 0.4))
        mask = np.zeros((height, width + 2 * t), np.uint8)
        cv2.line(mask, (t, height - t), (t + width, round(height * 0.1)), 255, t, cv2.LINE_AA)
    else:
        raise ValueError(f"not a separator: {char!r}")
    return mask.astype(np.float32) / 255


def side_by_side(inks: list[np.ndarray], gap: int) -> np.ndarray:
    """Ink masks set left to right ``gap`` px apart, their tops level, as one mask."""
    tallest = max(ink.shape[0] for ink in inks)
    row = np.hstack([np.pad(ink, ((0, tallest - ink.shape[0]), (0, gap))) for ink in inks])
    return row[:, :row.shape[1] - gap]


def _tight(ink: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(ink > 0)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
