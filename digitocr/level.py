"""Photos taken with the phone held askew: turn the page level when its rows slope steeply.

Rows are followed along their own slope (rows.py), but the steeper they slope, the more often a
row falls apart into pieces, and its digits, turned with it, read worse than upright ones. So the
rows' slope is measured on a first reading and, when it is steep, the photo is turned level by
that angle and read again; the level reading is kept when its digits read more surely.
"""
from __future__ import annotations

import cv2
import numpy as np

from .results import Box, Row

LEVEL_FROM = 7.0  # degrees of slope from which a page is read again turned level
NEIGHBOURS = 3  # digits with a neighbour beside them needed to tell the slope
PASSES = 2  # readings turned level at most (the first may tell a steep slope only roughly)
MARGIN = 4.0  # the photo is read again around its digits, this many digit heights beyond them


def slope(rows: list[Row]) -> float:
    """The page's slope in degrees (positive: rows falling to the right, in image coordinates): the
    median direction from each digit to its nearest neighbour, where that lies more beside it than
    above or below it. Neighbours within a row lie closer than the rows do, so this holds where rows
    slope so steeply that they fell apart into pieces, or joined pieces of two rows. 0 when fewer
    than NEIGHBOURS digits tell it."""
    centres = np.array([(d.box.x + d.box.w / 2, d.box.y + d.box.h / 2) for row in rows for d in row.digits], float)
    if len(centres) < 2:
        return 0.0
    offsets = centres[None, :, :] - centres[:, None, :]
    distance = np.hypot(offsets[..., 0], offsets[..., 1]) + np.diag(np.full(len(centres), np.inf))
    dx, dy = offsets[np.arange(len(centres)), distance.argmin(axis=1)].T
    angles = np.degrees(np.arctan2(dy * np.sign(dx + 1e-9), np.abs(dx)))  # the pair's direction, rightwards
    beside = angles[np.abs(angles) < 45]
    return float(np.median(beside)) if len(beside) >= NEIGHBOURS else 0.0


def surety(rows: list[Row]) -> float:
    """Mean log-confidence of the rows' digits."""
    confidences = [d.confidence for row in rows for d in row.digits]
    return float(np.mean(np.log(np.array(confidences) + 1e-6))) if confidences else -np.inf


def region(rows: list[Row], shape: tuple[int, ...]) -> Box:
    """The part of the photo (of ``shape``) to read again: around the digits read, MARGIN digit
    heights wide on every side. Turning and reading again cost in proportion to its size."""
    boxes = [d.box for row in rows for d in row.digits]
    around = Box.around(boxes)
    margin = int(MARGIN * np.median([box.h for box in boxes]))
    height, width = shape[:2]
    x0, y0 = max(0, around.x - margin), max(0, around.y - margin)
    x1, y1 = min(width, around.x + around.w + margin), min(height, around.y + around.h + margin)
    return Box(x0, y0, x1 - x0, y1 - y0)


def turned(image: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """The image turned by ``degrees`` (counter-clockwise, which levels rows falling to the right by
    as much) on a canvas holding all of it, and the 2×3 matrix mapping its pixels back.

    The corners the turn uncovers are filled with the photo's own border colour, not mirrored:
    mirroring would draw streaks there that look like ruled lines."""
    height, width = image.shape[:2]
    forward = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    cos, sin = abs(forward[0, 0]), abs(forward[0, 1])
    size = (int(np.ceil(height * sin + width * cos)), int(np.ceil(height * cos + width * sin)))
    forward[:, 2] += (size[0] - width) / 2, (size[1] - height) / 2
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    fill = tuple(float(v) for v in np.atleast_1d(np.median(border, axis=0)))
    level = cv2.warpAffine(image, forward, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                           borderValue=fill)
    return level, cv2.invertAffineTransform(forward)


def box_before(box: Box, back: np.ndarray, shape: tuple[int, ...]) -> Box:
    """The axis-aligned box, in the image before the turn (of ``shape``), around a box of the level image."""
    corners = np.array([[box.x, box.y], [box.x + box.w, box.y], [box.x, box.y + box.h], [box.x + box.w, box.y + box.h]], float)
    mapped = corners @ back[:, :2].T + back[:, 2]
    height, width = shape[:2]
    x0, y0 = np.clip(np.floor(mapped.min(axis=0)), 0, (width - 1, height - 1)).astype(int)
    x1, y1 = np.clip(np.ceil(mapped.max(axis=0)), (x0 + 1, y0 + 1), (width, height)).astype(int)
    return Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0))
