"""Typed reading results: a Page holds Rows (top to bottom), a Row holds Digits (left to right)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in pixels of the original image (after EXIF rotation)."""
    x: int
    y: int
    w: int
    h: int

    @classmethod
    def around(cls, boxes: list[Box]) -> Box:
        """The smallest box holding all of ``boxes``."""
        x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
        x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
        return cls(x0, y0, x1 - x0, y1 - y0)

    def shifted(self, dx: int, dy: int) -> Box:
        """The same box moved by (dx, dy): from a part of an image to the whole."""
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def scaled(self, factor: float) -> Box:
        """The same box in the image enlarged by ``factor`` (shrunk when below 1)."""
        return Box(round(self.x * factor), round(self.y * factor), max(1, round(self.w * factor)),
                   max(1, round(self.h * factor)))

    def to_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


@dataclass
class Digit:
    box: Box
    label: str  # "0".."9"
    confidence: float  # probability of label
    runner_up: str
    runner_up_confidence: float
    crop: np.ndarray = field(repr=False)  # the 28×28 uint8 crop the model saw (white on black)
    space_before: bool = False  # a wide gap separates this digit from the previous one

    def to_dict(self) -> dict:
        return {"label": self.label, "confidence": round(self.confidence, 4), "runner_up": self.runner_up,
                "runner_up_confidence": round(self.runner_up_confidence, 4), "box": self.box.to_dict(),
                "space_before": self.space_before}


@dataclass
class Row:
    digits: list[Digit]

    def text(self, min_confidence: float = 0.0, keep_spaces: bool = False, doubtful: str = "?") -> str:
        """The row's string; digits below ``min_confidence`` become ``doubtful``."""
        out = []
        for d in self.digits:
            if keep_spaces and d.space_before and out:
                out.append(" ")
            out.append(d.label if d.confidence >= min_confidence else doubtful)
        return "".join(out)

    @property
    def confidence(self) -> float:
        """Probability that the whole row is right: the product of its digits' confidences."""
        return float(np.prod([d.confidence for d in self.digits])) if self.digits else 0.0

    @property
    def box(self) -> Box:
        return Box.around([d.box for d in self.digits])

    def to_dict(self) -> dict:
        return {"text": self.text(), "confidence": round(self.confidence, 4), "box": self.box.to_dict(),
                "digits": [d.to_dict() for d in self.digits]}


@dataclass
class Page:
    source: str  # the path as given, or "-" for stdin, or "<array>"
    width: int
    height: int
    rows: list[Row]
    model: str  # name of the model that classified the digits

    def texts(self, min_confidence: float = 0.0, keep_spaces: bool = False) -> list[str]:
        return [row.text(min_confidence, keep_spaces) for row in self.rows]

    def to_dict(self) -> dict:
        return {"source": self.source, "width": self.width, "height": self.height, "model": self.model,
                "rows": [row.to_dict() for row in self.rows]}
