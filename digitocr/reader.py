"""The reading pipeline: image → segment → MNIST-style crops → one batched predict → Page."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import marks, orient, spacing, split
from .modelchoice import load_classifier
from .normalize import to_mnist
from .results import Digit, Page, Row
from .segment import Blob, segment


class Reader:
    """Reads many images with one classifier, loaded once."""

    def __init__(self, model: str | Path | None = None, rotate: int | None = None):
        """``rotate``: degrees (0, 90, 180, 270) to turn every image clockwise; None detects it per image."""
        self.classifier = load_classifier(model)
        self.rotate = rotate

    def read(self, image: np.ndarray, source: str = "<array>") -> Page:
        """Gray or BGR uint8 image → Page of rows (top to bottom) of digits (left to right).

        Boxes are in the coordinates of ``image`` even when it was read turned upright."""
        rows = segment(image)
        turn = orient.upright_turn(rows, self.classifier) if self.rotate is None else self.rotate
        upright = orient.turn(image, turn)
        if turn:
            rows = segment(upright)
        plan = split.plan(marks.remove(rows))  # wide blobs may be touching digits: 1, 2 or 3 pieces each
        crops = np.array([to_mnist(blob.mask) for blob in plan.pieces], np.uint8).reshape(-1, 28, 28)
        probabilities = self.classifier.predict(crops)  # all pieces of all rows in one batch
        chosen = plan.choose(probabilities)
        rows = [[plan.pieces[i] for i in row] for row in chosen]
        order = [i for row in chosen for i in row]
        digit_rows = spacing.mark_spaces(assemble(rows, crops[order], probabilities[order]))
        if turn:
            for digit in (digit for row in digit_rows for digit in row.digits):
                digit.box = orient.box_before_turn(digit.box, turn, upright.shape)
        height, width = image.shape[:2]
        return Page(source, width, height, digit_rows, self.classifier.name)


def assemble(rows: list[list[Blob]], crops: np.ndarray, probabilities: np.ndarray) -> list[Row]:
    """Blobs with their crops and class probabilities (in reading order) → Rows of Digits."""
    ranked = np.argsort(-probabilities, axis=1)
    digits = iter(range(len(crops)))
    result = []
    for row in rows:
        result.append(Row([_digit(blob, crops[i], probabilities[i], ranked[i]) for blob, i in zip(row, digits)]))
    return result


def _digit(blob: Blob, crop: np.ndarray, probabilities: np.ndarray, ranked: np.ndarray) -> Digit:
    best, second = int(ranked[0]), int(ranked[1])
    return Digit(box=blob.box, label=str(best), confidence=float(probabilities[best]),
                 runner_up=str(second), runner_up_confidence=float(probabilities[second]), crop=crop)
