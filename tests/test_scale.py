"""The scale a photo is read at (scale.py): big photos of tall digits shrunk, the rest read as they are."""
from __future__ import annotations

import pytest

from digitocr.scale import LEAST_SIDE, WORK_HEIGHT, WORK_SIDE, working_scale
from test_segment import Sheet


@pytest.fixture(scope="module")
def digits(mnist_test):
    return [mnist_test.images[i] for i in range(100, 140)]


def rows_of_digits(digits, width: int, height: int, size: int, count: int = 8):
    """A photo ``width`` × ``height`` filled with rows of ``count`` digits ``size`` px tall."""
    sheet = Sheet(width, height)
    margin = size // 5
    for r, y in enumerate(range(margin, height - size - margin + 1, 2 * size)):
        first = r * count % (len(digits) - count)
        sheet.row(digits[first:first + count], margin, y, size)
    return sheet.photo()


def test_photos_no_longer_than_the_work_side_are_read_as_they_are(digits):
    assert working_scale(rows_of_digits(digits, WORK_SIDE, WORK_SIDE * 3 // 4, 150)) == 1.0


def test_a_big_photo_of_tall_digits_is_shrunk_until_they_are_work_height_tall(digits):
    scale = working_scale(rows_of_digits(digits, 3600, 2400, 200))
    assert 0.8 * WORK_HEIGHT <= scale * 200 <= 1.25 * WORK_HEIGHT


def test_small_digits_in_a_big_photo_are_not_shrunk(digits):
    """A form shot from afar: its digits are no taller than reading needs."""
    assert working_scale(rows_of_digits(digits, 3600, 2400, 40)) == 1.0


def test_a_close_up_is_shrunk_no_further_than_the_least_side(digits):
    """Three digits filling a big photo: shrunk to the size of the close-ups reading is made for."""
    assert working_scale(rows_of_digits(digits, 3000, 1000, 700, count=3)) == pytest.approx(LEAST_SIDE / 3000)
