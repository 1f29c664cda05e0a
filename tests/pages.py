"""Page images for the reading tests: MNIST test digits, well apart, dark ink on light paper.

Only the digits that the shipped model is surest of on their own are used, so a test
that reads a page checks segmentation, normalisation, ordering and assembly, not the model.
"""
from __future__ import annotations

import cv2
import numpy as np

from digitocr.modelchoice import load_classifier

SCALE = 2  # MNIST digits drawn 56 px tall
CELL = 28 * SCALE
GAP, MARGIN = 24, 40
PAPER = 232


def clear_digits(test_split, per_class: int = 4, candidates: int = 600) -> dict[str, list[np.ndarray]]:
    """For each class "0".."9", the ``per_class`` test images among the first ``candidates`` that the
    model is surest of (ranked, not thresholded: label smoothing caps some models' confidence)."""
    images, labels = test_split.images[:candidates], test_split.labels[:candidates]
    probabilities = load_classifier("base").predict(images)
    picked = {}
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        surest = members[np.argsort(-probabilities[members, digit])[:per_class]]
        picked[str(digit)] = [images[i] for i in surest]
    return picked


def compose(rows: list[str], digits: dict[str, list[np.ndarray]], shift: int = 0) -> np.ndarray:
    """A gray page with one line of handwriting per string in ``rows``; ``shift`` varies the samples."""
    width = 2 * MARGIN + max(len(r) for r in rows) * (CELL + GAP)
    height = 2 * MARGIN + len(rows) * (CELL + 2 * GAP)
    page = np.full((height, width), PAPER, np.uint8)
    for r, text in enumerate(rows):
        for c, char in enumerate(text):
            samples = digits[char]
            ink = cv2.resize(samples[(r + c + shift) % len(samples)], (CELL, CELL), interpolation=cv2.INTER_LINEAR)
            y, x = MARGIN + r * (CELL + 2 * GAP), MARGIN + c * (CELL + GAP)
            page[y:y + CELL, x:x + CELL] = np.minimum(page[y:y + CELL, x:x + CELL], 255 - ink)
    return page


def encode(page: np.ndarray, suffix: str = ".png") -> bytes:
    return cv2.imencode(suffix, page)[1].tobytes()
