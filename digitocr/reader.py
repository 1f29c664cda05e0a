"""The reading pipeline: image → segment → MNIST-style crops → one batched predict → Page."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .modelchoice import load_classifier
from .normalize import to_mnist
from .results import Digit, Page, Row
from .segment import Blob, segment


class Reader:
    """Reads many images with one classifier, loaded once."""

    def __init__(self, model: str | Path | None = None):
        self.classifier = load_classifier(model)

    def read(self, image: np.ndarray, source: str = "<array>") -> Page:
        """Gray or BGR uint8 image → Page of rows (top to bottom) of digits (left to right)."""
        rows = segment(image)
        crops = np.array([to_mnist(blob.mask) for row in rows for blob in row], np.uint8).reshape(-1, 28, 28)
        probabilities = self.classifier.predict(crops)  # all digits of all rows in one batch
        height, width = image.shape[:2]
        return Page(source, width, height, assemble(rows, crops, probabilities), self.classifier.name)


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
