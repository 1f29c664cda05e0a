"""Sideways and upside-down photos: find the quarter turn that makes the digits upright.

Phones often store photos turned by 90°, 180° or 270° (and the EXIF tag that would say so is
often lost). Two cues decide the turn. The page's shape: upright digits are taller than wide
and their nearest neighbours sit beside them, not above them — this separates 0°/180° from
90°/270°. The model's confidence: digits read with more confidence the right way up — the only
cue between 0° and 180°, so it is averaged over every digit on the page.
"""
from __future__ import annotations

import numpy as np

from .results import Box
from .segment import Blob

TURNS = (0, 90, 180, 270)  # clockwise turns that may make a photo upright
SHAPE_WEIGHT = 1.0  # how much the page's shape counts against the model's mean log-confidence
# Most photos are upright and turning an upright page ruins it: another turn must beat 0° by this
# much mean log-confidence per digit. (Hard pages score 0° only 0.0-0.4 above 180°; specks blur it.)
UPRIGHT_PRIOR = 0.1
SAMPLE = 32  # the largest blobs are enough to judge a page, and bound the cost on cluttered ones
ELONGATED = 3.0  # blobs this many times longer than wide are rule fragments or 1s: no clue to the turn


def turn(image: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by a multiple of 90 degrees."""
    return np.ascontiguousarray(np.rot90(image, -(degrees // 90)))


def box_before_turn(box: Box, degrees: int, turned_shape: tuple[int, ...]) -> Box:
    """Where a box of the turned image lies in the image before the clockwise turn."""
    height, width = turned_shape[:2]
    x0, y0, x1, y1 = box.x, box.y, box.x + box.w, box.y + box.h
    for _ in range(degrees // 90 % 4):  # undo one clockwise quarter turn at a time
        x0, y0, x1, y1, height, width = y0, width - x1, y1, width - x0, width, height
    return Box(x0, y0, x1 - x0, y1 - y0)


def evidence(blobs: list[Blob]) -> list[int]:
    """Indices of the blobs that judge the page: the largest ones that are not long thin strokes."""
    usable = [i for i, blob in enumerate(blobs) if max(blob.box.w, blob.box.h) < ELONGATED * min(blob.box.w, blob.box.h)]
    return sorted(usable, key=lambda i: -blobs[i].box.w * blobs[i].box.h)[:SAMPLE]


def turned(crops: np.ndarray) -> np.ndarray:
    """The crops turned clockwise by each of TURNS[1:] (90°, 180°, 270°), one block per turn.

    to_mnist fits the ink into a square and centres its mass, so it commutes with quarter turns:
    turning a crop is as good as turning the page, and the turned crops can join the page's batch.
    """
    return np.concatenate([np.rot90(crops, -(degrees // 90), axes=(1, 2)) for degrees in TURNS[1:]])


def upright_turn(blobs: list[Blob], probabilities: np.ndarray) -> int:
    """The clockwise turn (0, 90, 180 or 270) that makes the page's digits upright.

    ``probabilities``: the blobs' class probabilities as they are, then turned as by ``turned``.
    """
    if len(blobs) == 0:
        return 0
    by_turn = probabilities.reshape(len(TURNS), len(blobs), -1)
    # Specks and line fragments that survived segmentation are small: weigh each blob by its size.
    size = np.array([blob.box.w * blob.box.h for blob in blobs], float)
    confidence = np.log(by_turn.max(axis=2) + 1e-6) @ (size / size.sum())
    upright = SHAPE_WEIGHT * shape_evidence(blobs)
    scores = confidence + np.array([upright + UPRIGHT_PRIOR, -upright, upright, -upright])
    return TURNS[int(np.argmax(scores))]


def shape_evidence(blobs: list[Blob]) -> float:
    """Positive when the page looks upright or upside down, negative when it looks sideways.

    Half from the digits' proportions (median log of height over width), half from where each
    digit's nearest neighbour lies (+1 beside it, −1 above or below it).
    """
    boxes = np.array([[b.box.x + b.box.w / 2, b.box.y + b.box.h / 2, b.box.w, b.box.h] for b in blobs], float)
    proportions = float(np.median(np.log(boxes[:, 3] / boxes[:, 2])))
    if len(blobs) < 2:
        return proportions
    dx = np.abs(boxes[:, None, 0] - boxes[None, :, 0])
    dy = np.abs(boxes[:, None, 1] - boxes[None, :, 1])
    distance = np.hypot(dx, dy) + np.diag(np.full(len(blobs), np.inf))
    nearest = distance.argmin(axis=1)
    beside = np.sign(dx[np.arange(len(blobs)), nearest] - dy[np.arange(len(blobs)), nearest])
    return 0.5 * proportions + 0.5 * float(beside.mean())
