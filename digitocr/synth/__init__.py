"""Labelled photo-like pages of handwritten digit rows, composed from MNIST digits.

``page(digits, TIERS["photo"], seed=7)`` gives the same photo and labels for the same seed:
rows of digits are laid out on paper or a chalkboard (layout, strokes, paper), then
photographed (camera). Pages for evaluation are made of the MNIST test split only: the model
trains on the training split, and a page made of its training digits would flatter it. Pages
made of the training split are for training (pagecrops.py).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .. import mnist
from ..labels import write_labels
from ..paths import default_mnist_dir
from ..results import Box
from .camera import photograph
from .knobs import TIERS, Knobs
from .layout import lay_out
from .paper import CHALK, board, grainy, lay_ink, paper, pen, specks

__all__ = ["Knobs", "SynthPage", "TIERS", "page", "test_digits", "write_pages"]


@dataclass
class SynthPage:
    jpeg: bytes  # the photo as a phone's JPEG file
    rows: list[str]  # expected strings top to bottom; a space marks a wide gap between groups
    boxes: list[list[Box]]  # each digit's box in the photo, per row
    # The sheet's corners in the photo (4×2, x and y, clockwise from its top left) when it lies on
    # a desk that shows around it; None when the paper fills the photo.
    sheet: np.ndarray | None = None
    # Each digit's index in the MNIST split it was drawn from, per row.
    sources: list[list[int]] = field(default_factory=list)
    surface: str = "plain"  # what the digits are written on: plain, ruled or squared paper, or a board

    @property
    def image(self) -> np.ndarray:
        """The photo decoded: H×W×3 uint8 BGR."""
        return cv2.imdecode(np.frombuffer(self.jpeg, np.uint8), cv2.IMREAD_COLOR)


def test_digits(folder: Path | None = None) -> mnist.Split:
    """The MNIST test split, the only digits pages are made of."""
    return mnist.load(folder or default_mnist_dir())[1]


def page(digits: mnist.Split, knobs: Knobs, seed: int | Sequence[int]) -> SynthPage:
    """One photographed page; everything random comes from ``seed``."""
    rng = np.random.default_rng(seed)
    r = rng.random()
    if r < knobs.chalkboard_chance:
        surface = "board"
    elif r < knobs.chalkboard_chance + knobs.ruled_chance:
        surface = "ruled"
    elif r < knobs.chalkboard_chance + knobs.ruled_chance + knobs.squared_chance:
        surface = "squared"
    else:
        surface = "plain"
    writing = lay_out(digits, knobs, surface, rng)
    n_specks = int(rng.integers(knobs.specks[0], knobs.specks[1] + 1))
    if surface == "board":
        sheet = board(writing.ink.shape, rng)
        dust = specks(writing.ink.shape, n_specks, rng).astype(np.float32) * (0.6 / 255)
        lay_ink(sheet, np.maximum(grainy(writing.ink, rng, low=0.4), dust), CHALK)
    else:
        sheet = paper(writing, rng.uniform(*knobs.texture), n_specks, rng)
        colour, pencil = pen(knobs.pencil_chance, rng)
        lay_ink(sheet, grainy(writing.ink, rng, low=0.5) * 0.8 if pencil else writing.ink * rng.uniform(0.85, 1.0), colour)
    quads = [[_corners(box) for box in row] for row in writing.boxes]
    jpeg, homography, on_desk = photograph(sheet, [q for row in quads for q in row], knobs, rng)
    rows, cols = sheet.shape[:2]
    outline = _in_photo(_corners((0, 0, cols, rows)), homography) if on_desk else None
    boxes = [[_box_in_photo(q, homography) for q in row] for row in quads]
    return SynthPage(jpeg, writing.rows, boxes, outline, writing.sources, surface)


def write_pages(folder: Path, digits: mnist.Split, knobs: Knobs, count: int, seed: int,
                advance: Callable[[], None] = lambda: None) -> Path:
    """A labelled folder that ``digitocr eval`` reads: ``page-0000.jpg``… and ``labels.tsv``.
    Page ``i`` comes from seed ``(seed, i)``, so a folder can be grown without changing its start."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for i in range(count):
        made = page(digits, knobs, (seed, i))
        name = f"page-{i:04d}.jpg"
        (folder / name).write_bytes(made.jpeg)
        entries.append((name, made.rows))
        advance()
    return write_labels(folder, entries)


def _corners(box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


def _in_photo(points: np.ndarray, homography: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(points.reshape(-1, 1, 2), homography).reshape(-1, 2)


def _box_in_photo(corners: np.ndarray, homography: np.ndarray) -> Box:
    points = _in_photo(corners, homography)
    left, top = np.floor(points.min(axis=0)).astype(int)
    right, bottom = np.ceil(points.max(axis=0)).astype(int)
    return Box(int(left), int(top), int(right - left), int(bottom - top))
