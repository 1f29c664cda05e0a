"""Separators between digits (slash, dash, '=', ':') are dropped; digits, including 1s, are kept."""
from __future__ import annotations

import cv2
import numpy as np

from digitocr import marks
from digitocr.results import Box
from digitocr.segment import Blob

H = 56


def blob(ink: np.ndarray, x: int) -> Blob:
    ys, xs = np.nonzero(ink)
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return Blob(Box(x, 0, ink.shape[1], ink.shape[0]), (ink > 0).astype(np.uint8) * 255)


def stroke(p0, p1, size=(H, H)) -> np.ndarray:
    ink = np.zeros(size, np.uint8)
    cv2.line(ink, p0, p1, 255, 5)
    return ink


def zero() -> np.ndarray:
    ink = np.zeros((H, H), np.uint8)
    cv2.ellipse(ink, (28, 28), (16, 25), 0, 0, 360, 255, 5)
    return ink


def row_with(middle: np.ndarray) -> list[Blob]:
    return [blob(zero(), 0), blob(zero(), 60), blob(middle, 120), blob(zero(), 180), blob(zero(), 240)]


def kept(row: list[Blob]) -> int:
    return sum(len(r) for r in marks.remove([row]))


def test_slash_between_digits_is_dropped():
    assert kept(row_with(stroke((3, H - 3), (58, 3), size=(H, 62)))) == 4  # leans about 47 degrees
    below_baseline = blob(stroke((3, H + 12), (45, 3), size=(H + 16, H)), 120)  # leans 38°, reaches below
    row = row_with(zero())
    row[2] = below_baseline
    assert kept(row) == 4


def test_upright_and_slanted_ones_are_kept():
    assert kept(row_with(stroke((28, H - 3), (28, 3)))) == 5
    assert kept(row_with(stroke((18, H - 3), (32, 3)))) == 5  # leans about 15 degrees
    assert kept(row_with(stroke((3, H - 3), (40, 3)))) == 5  # leans 35°, as tall as its neighbours


def test_slash_at_the_end_of_a_row_is_kept_as_a_digit():
    row = row_with(zero())[:4] + [blob(stroke((3, H - 3), (45, 3)), 300)]
    assert kept(row) == 5


def test_dash_equals_and_colon_are_dropped():
    dash = stroke((5, 28), (45, 28))
    equals = np.maximum(stroke((5, 20), (45, 20)), stroke((5, 36), (45, 36)))
    colon = np.zeros((H, H), np.uint8)
    cv2.circle(colon, (28, 12), 5, 255, -1)
    cv2.circle(colon, (28, 44), 5, 255, -1)
    for mark in (dash, equals, colon):
        assert kept(row_with(mark)) == 4


def test_a_row_of_bars_alone_is_dropped_but_a_wide_blob_of_digits_is_kept():
    """Where a row holds nothing but bars (the stubs an erased rule leaves), its height is the
    bars' own, and a bar is still known by its stroke, nearly as thick as it is tall. Digits in one
    blob as wide as three are not: their strokes are thin for their height."""
    stubs = [blob(stroke((5, 10), (45, 10), size=(20, 50)), x) for x in (0, 60, 120)]
    assert kept(stubs) == 0
    assert kept([blob(np.hstack([zero(), zero(), zero()]), 0)]) == 1
