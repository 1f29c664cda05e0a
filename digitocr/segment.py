"""Segmentation: a photo → rows of candidate digits (boxes and their own ink masks).

    ink mask (binarize) → typical digit height → ruled/grid lines removed → components →
    clutter dropped (specks, lines, paper edges, desk) → rows, broken strokes merged (rows)
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .binarize import ink_mask
from .results import Box
from .rows import Part, group_rows

SPECK = 0.25  # components smaller than this share of the digit height in both directions are noise
LINE_LENGTH_H, LINE_LENGTH_V = 2.5, 3.0  # straight runs longer than this many digit heights are rules
LINE_THICKNESS = 0.15  # a long part thinner than this share of the digit height is a line
HUGE = 3.5  # no digit is this many typical digit heights tall
BORDER_HUGE = 2.0  # a part this big that touches the image border is a paper edge or the desk


@dataclass
class Blob:
    """One candidate digit."""
    box: Box  # in the coordinates of the input image
    mask: np.ndarray  # uint8 (box.h, box.w): 255 = ink of this blob only, neighbours' ink removed


def segment(image: np.ndarray) -> list[list[Blob]]:
    """Rows top to bottom, each row's blobs left to right. Blank page → []."""
    ink = ink_mask(image)
    height = typical_height(ink)
    if height == 0:
        return []
    ink = remove_lines(ink, height)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    parts = [Part(x, y, x + w, y + h, (i,)) for i, (x, y, w, h, _) in enumerate(stats) if i > 0]
    parts = [p for p in parts if not is_clutter(p, labels, height)]
    return [[to_blob(p, labels) for p in row] for row in group_rows(parts)]


def typical_height(ink: np.ndarray) -> float:
    """Area-weighted median height of the components that could be digits (0 if there are none).

    Weighting by area lets the digits outvote any number of specks; components spanning half the
    image or far wider than tall (ruled lines, paper edges) do not vote.
    """
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats = stats[1:]
    rows, cols = ink.shape
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    voters = (h < rows / 2) & (w < cols / 2) & (w <= 6 * h) & (area >= 4)
    if not voters.any():
        return 0.0
    order = np.argsort(h[voters])
    weights = np.cumsum(area[voters][order])
    return float(h[voters][order][np.searchsorted(weights, weights[-1] / 2)])


def remove_lines(ink: np.ndarray, height: float) -> np.ndarray:
    """Erase long horizontal and vertical rules, keeping the ink of strokes that cross them."""
    for length, axis in ((LINE_LENGTH_H, 1), (LINE_LENGTH_V, 0)):
        size = max(3, int(length * height))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, 1) if axis == 1 else (1, size))
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        if not lines.any():
            continue
        rest = ink & (1 - lines)
        # A stroke crossing a rule has ink on both sides of it: bridging across the rule restores it.
        reach = max(3, int(0.2 * height)) | 1
        across = cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach) if axis == 1 else (reach, 1))
        ink = rest | (lines & cv2.morphologyEx(rest, cv2.MORPH_CLOSE, across))
    return ink


def is_clutter(part: Part, labels: np.ndarray, height: float) -> bool:
    """Specks, long thin lines at any angle, paper edges and the desk around a sheet."""
    if max(part.w, part.h) < SPECK * height:
        return True
    if part.h > HUGE * height:
        return True
    rows, cols = labels.shape
    touches_border = part.x0 == 0 or part.y0 == 0 or part.x1 == cols or part.y1 == rows
    if touches_border and max(part.w, part.h) > BORDER_HUGE * height:
        return True
    if max(part.w, part.h) > LINE_LENGTH_H * height:
        ys, xs = np.nonzero(labels[part.y0:part.y1, part.x0:part.x1] == part.ids[0])
        (_, _), (side_a, side_b), _ = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
        return min(side_a, side_b) < LINE_THICKNESS * height
    return False


def to_blob(part: Part, labels: np.ndarray) -> Blob:
    window = labels[part.y0:part.y1, part.x0:part.x1]
    mask = np.isin(window, part.ids).astype(np.uint8) * 255
    return Blob(Box(part.x0, part.y0, part.w, part.h), mask)
