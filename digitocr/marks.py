"""Separators between digits — ``12/05``, ``1,250``, ``2024-11-22``, ``25=`` — are not digits.

Segmentation already drops marks far shorter than the row's digits (dots, commas, dashes).
What reaches this filter is drawn bigger: a slash as tall as the digits, a thick dash, an ``=``
or ``:`` whose two small strokes were merged into one blob. Each is judged by its shape relative
to the row; a flat blob drawn with strokes nearly half as thick as it is tall (a minus sign, the
stub an erased rule leaves) is a bar even in a row of nothing else. A slash is the hard case, because
a slanted 1 looks the same: it must stand between digits, lean clearly more than the writer's
other digits (their slant is the row's median), and either lean very far or reach above or below
its neighbours.
"""
from __future__ import annotations

import cv2
import numpy as np

from .normalize import stroke_width
from .segment import Blob

SMALL_PART = 0.3  # a blob made only of parts shorter than this (× row height) is a ":" or "="
FLAT = 2.0  # a blob this many times wider than tall ...
FLAT_HEIGHT = 0.6  # ... and shorter than this (× row height) is a dash
BAR_STROKE = 0.4  # ... and so is one whose strokes are this thick (× its own height)
THIN = 4.0  # a single stroke: its length is at least this many times its width
SLASH_LEAN = 30.0  # degrees from vertical a slash leans at least ...
SLASH_EXTRA_LEAN = 15.0  # ... and this much more than the row's digits ...
# ... and, since 1s of slanted writers lean up to ~40° (MNIST), either leans further than that or
# reaches out of the band of its neighbours (by this share of the row height), as slashes do.
SLASH_CERTAIN_LEAN = 45.0
SLASH_OUTREACH = 0.15


def remove(rows: list[list[Blob]]) -> list[list[Blob]]:
    """The rows without their separators; rows left empty are dropped."""
    rows = [[blob for i, blob in enumerate(row) if not is_separator(row, i)] for row in rows]
    return [row for row in rows if row]


def is_separator(row: list[Blob], i: int) -> bool:
    blob, height = row[i], float(np.median([b.box.h for b in row]))
    # A dash: flat and short for its row, or flat and drawn with strokes as thick as a bar's whatever
    # its row (a minus sign, the stub of a rule; even two bold digits touching have thinner strokes).
    if blob.box.w >= FLAT * blob.box.h and (blob.box.h < FLAT_HEIGHT * height
                                            or stroke_width(blob.mask) >= BAR_STROKE * blob.box.h):
        return True
    if all(part_h < SMALL_PART * height for part_h in _part_heights(blob.mask)):
        return True
    between_digits = 0 < i < len(row) - 1
    return between_digits and is_slash(row, i, height)


def is_slash(row: list[Blob], i: int, height: float) -> bool:
    """A thin straight stroke leaning right much more than the writer's other digits."""
    blob = row[i]
    if elongation(blob.mask) < THIN:
        return False
    slants = [lean(b.mask) for b in row if b is not blob and elongation(b.mask) < THIN]  # 1s tell little
    writer = float(np.median(slants)) if slants else 0.0
    leaning = lean(blob.mask)
    if leaning < max(SLASH_LEAN, writer + SLASH_EXTRA_LEAN):
        return False
    neighbours = (row[i - 1].box, row[i + 1].box)
    top, bottom = min(b.y for b in neighbours), max(b.y + b.h for b in neighbours)
    reach = SLASH_OUTREACH * height
    return leaning >= SLASH_CERTAIN_LEAN or blob.box.y < top - reach or blob.box.y + blob.box.h > bottom + reach


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
