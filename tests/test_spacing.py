"""Wide gaps inside a row become spaces (``--keep-spaces``)."""
from __future__ import annotations

import numpy as np

from digitocr.results import Box, Digit, Row
from digitocr.spacing import mark_spaces


def row_at(lefts: list[int], width: int = 30, height: int = 50) -> Row:
    crop = np.zeros((28, 28), np.uint8)
    return Row([Digit(Box(x, 0, width, height), "7", 0.99, "1", 0.01, crop) for x in lefts])


def test_phone_number_groups_get_spaces():
    # 555 0134: ordinary gaps of 10 px, one gap of 60 px (more than a digit width)
    row = row_at([0, 40, 80, 170, 210, 250, 290])
    mark_spaces([row])
    assert row.text(keep_spaces=True) == "777 7777"
    assert row.text() == "7777777"


def test_uneven_handwriting_gaps_are_not_spaces():
    row = row_at([0, 35, 80, 118, 165, 200])  # gaps of 5 to 17 px
    mark_spaces([row])
    assert not any(d.space_before for d in row.digits)


def test_touching_digits_and_single_digits():
    touching = row_at([0, 25, 50, 125])  # overlapping boxes, then a 45 px gap (0.9 × height)
    single = row_at([0])
    mark_spaces([touching, single])
    assert touching.text(keep_spaces=True) == "777 7"
    assert single.text(keep_spaces=True) == "7"
