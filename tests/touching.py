"""Touching digits built from MNIST: digits pushed together until their ink touches, then a few
pixels further, so each sample is ONE connected blob holding 2 or 3 known digits."""
from __future__ import annotations

import cv2
import numpy as np

from digitocr import split
from digitocr.normalize import to_mnist
from digitocr.pairs import read_pairs
from digitocr.results import Box
from digitocr.segment import Blob

SCALE = 2  # MNIST digits drawn 40 px tall, a typical size in a phone photo


def digit_ink(image: np.ndarray) -> np.ndarray:
    """A 28×28 MNIST image → boolean ink mask at SCALE, cropped to the ink."""
    ink = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_LINEAR) > 110
    ys, xs = np.nonzero(ink)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _components(ink: np.ndarray) -> int:
    return cv2.connectedComponents(ink.astype(np.uint8), connectivity=8)[0] - 1


def touching(inks: list[np.ndarray], overlap: int) -> np.ndarray | None:
    """The inks side by side on one baseline, each slid left until it touches the one before and
    then ``overlap`` px more; None if they never touch or the result is not one blob."""
    height = max(ink.shape[0] for ink in inks)
    canvas = np.zeros((height, sum(ink.shape[1] for ink in inks)), bool)
    right = 0
    for ink in inks:
        h, w = ink.shape
        if right == 0:
            canvas[height - h:, :w] = ink
            right = w
            continue
        before = _components(canvas)
        for x in range(right, max(-1, right - w), -1):
            trial = canvas.copy()
            trial[height - h:, x:x + w] |= ink
            if _components(trial) <= before:
                break
        else:
            return None
        x = max(0, x - overlap)
        canvas[height - h:, x:x + w] |= ink
        right = max(right, x + w)
    ys, xs = np.nonzero(canvas)
    blob = canvas[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return blob if _components(blob) == 1 else None


def samples(data, count: int, digits: int, seed: int, overlaps: tuple[int, int] = (0, 4),
            narrow: bool = False) -> list[tuple[np.ndarray, str]]:
    """``count`` (ink, label) samples of ``digits`` touching MNIST digits from ``data``, overlapping
    by ``overlaps`` px (low, high exclusive); ``narrow``: only blobs too narrow to trigger a split."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        picks = rng.integers(0, len(data.labels), digits)
        inks = [digit_ink(data.images[i]) for i in picks]
        ink = inks[0] if digits == 1 else touching(inks, overlap=int(rng.integers(*overlaps)))
        if ink is not None and (not narrow or ink.shape[1] < split.TRIGGER_WIDTH * ink.shape[0]):
            found.append((ink, "".join(str(data.labels[i]) for i in picks)))
    return found


def two_blocks_joined_by_a_bridge() -> np.ndarray:
    """Two 24-px-wide rings touching through a thin bridge at x = 24..27."""
    ink = np.zeros((40, 52), bool)
    for x0 in (0, 28):
        ink[:, x0:x0 + 24] = True
        ink[5:35, x0 + 5:x0 + 19] = False
    ink[18:22, 24:28] = True
    return ink


def as_blob(ink: np.ndarray, x: int = 0, y: int = 0) -> Blob:
    return Blob(Box(x, y, ink.shape[1], ink.shape[0]), ink.astype(np.uint8) * 255)


def read_blobs(blobs: list[Blob], classifier, pair_model=None) -> list[str]:
    """Each blob read on its own row as the reader does: read whole in one batch, the pieces of the
    split hypotheses of those read unsurely in two more, the pair model's readings if given one,
    best reading."""
    plan = split.plan([[blob] for blob in blobs])
    crops = np.array([to_mnist(piece.mask) for piece in plan.pieces])
    plan, _, probabilities = split.reconsider(plan, crops, classifier.predict(crops), classifier.predict)
    pairs = read_pairs(pair_model, plan.pair_blobs) if pair_model else None
    return ["".join(str(p.argmax()) for _, p in row) for row in plan.choose(probabilities, pairs)]
