"""Wide gaps inside a row — phone numbers, dates — become spaces with ``--keep-spaces``.

A gap is wide when it is far wider than the row's ordinary gaps and wider than most of a digit:
handwriting spacing varies a lot, so both conditions must hold.
"""
from __future__ import annotations

import numpy as np

from .results import Row

GAP_FACTOR = 2.0  # a space is at least this many times the row's ordinary gap
MIN_GAP = 0.8  # ... and at least this share of the row's digit height
ORDINARY = 30  # percentile of the row's gaps taken as its ordinary gap (most gaps are not spaces)


def mark_spaces(rows: list[Row]) -> list[Row]:
    """Set ``space_before`` on each digit that follows a wide gap (in place); returns ``rows``."""
    for row in rows:
        boxes = [digit.box for digit in row.digits]
        if len(boxes) < 2:
            continue
        gaps = np.array([right.x - (left.x + left.w) for left, right in zip(boxes, boxes[1:])], float)
        height = float(np.median([box.h for box in boxes]))
        ordinary = max(0.0, float(np.percentile(gaps, ORDINARY)))
        wide = max(GAP_FACTOR * ordinary, MIN_GAP * height)
        for digit, gap in zip(row.digits[1:], gaps):
            digit.space_before = bool(gap >= wide)
    return rows
