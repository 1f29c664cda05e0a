"""Separators between digits — ``12/05``, ``1,250``, ``2024-11-22``, ``25=`` — are not digits.

Segmentation already drops marks far shorter than the row's digits (dots, commas, dashes).
What reaches this filter is drawn bigger: a slash as tall as the digits, a thick dash, an ``=``
or ``:`` whose two small strokes were merged into one blob. Each is judged by its shape relative
to the row. A slash is the hard case, because a slanted 1 looks the same: it must lean clearly
more than the writer's other digits (their slant is the row's median), and stand between digits.
"""
from __future__ import annotations

import cv2
import numpy as np

from .segment import Blob

SMALL_PART = 0.3  # a blob made only of parts shorter than this (× row height) is a ":" or "="
FLAT = 2.0  # a blob this many times wider than tall ...
FLAT_HEIGHT = 0.6  # ... and shorter than this (× row height) is a dash
THIN = 4.0  # a single stroke: its length is at least this many times its width
SLASH_LEAN = 35.0  # degrees from vertical a slash leans at least ...
SLASH_EXTRA_LEAN = 15.0  # ... and this much more than the row's digits


def remove(rows: list[list[Blob]]) -> list[list[Blob]]:
    """The rows without their separators; rows left empty are dropped."""
    rows = [[blob for i, blob in enumerate(row) if not is_separator(row, i)] for row in rows]
    return [row for row in rows if row]


def is_separator(row: list[Blob], i: int) -> bool:
    blob, height = row[i], float(np.median([b.box.h for b in row]))
    if blob.box.w >= FLAT * blob.box.h and blob.box.h < FLAT_HEIGHT * height:
        return True
    if all(part_h < SMALL_PART * height for part_h in _part_heights(blob.mask)):
        return True
    between_digits = 0 < i < len(row) - 1
    return between_digits and is_slash(blob, [b for j, b in enumerate(row) if j != i])


def is_slash(blob: Blob, others: list[Blob]) -> bool:
    """A thin straight stroke leaning right much more than the writer's other digits."""
    if elongation(blob.mask) < THIN:
        return False
    slants = [lean(b.mask) for b in others if elongation(b.mask) < THIN]  # 1s say little about slant
    writer = float(np.median(slants)) if slants else 0.0
    return lean(blob.mask) >= max(SLASH_LEAN, writer + SLASH_EXTRA_LEAN)


def lean(mask: np.ndarray) -> float:
    """Degrees the ink leans from vertical, positive when its top is to the right (as in '/')."""
    moments = cv2.moments((mask > 0).astype(np.uint8), binaryImage=True)
    return float(np.degrees(np.arctan(-moments["mu11"] / moments["mu02"]))) if moments["mu02"] else 0.0


def elongation(mask: np.ndarray) -> float:
    """Length over width of the ink: the ratio of its principal axes."""
    moments = cv2.moments((mask > 0).astype(np.uint8), binaryImage=True)
    covariance = np.array([[moments["mu20"], moments["mu11"]], [moments["mu11"], moments["mu02"]]])
    small, large = np.linalg.eigvalsh(covariance)
    return float(np.sqrt(large / small)) if small > 0 else np.inf


def _part_heights(mask: np.ndarray) -> list[int]:
    count, _, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=8)
    return [int(h) for h in stats[1:, cv2.CC_STAT_HEIGHT]]
