"""Photos taken with the phone held askew are read like the level page."""
from __future__ import annotations

import numpy as np
import pytest

from digitocr import level
from digitocr.reader import Reader
from digitocr.results import Box, Digit, Row
from pages import clear_digits, compose

ROWS = ["40729183", "5561", "238"]


@pytest.fixture(scope="module")
def page(mnist_test):
    return compose(ROWS, clear_digits(mnist_test))


@pytest.mark.parametrize("degrees", [-30, -18, 18, 30])
def test_a_page_turned_steeply_reads_like_the_level_one(page, degrees):
    reader = Reader()
    assert reader.read(page).texts() == ROWS
    photo = level.turned(page, degrees)[0]  # (the uncovered corners filled with the paper around)
    read = reader.read(photo)
    assert read.texts() == ROWS
    for digit in (d for row in read.rows for d in row.digits):
        box = digit.box  # in the askew photo, around ink
        assert box.x + box.w <= photo.shape[1] and box.y + box.h <= photo.shape[0]
        assert photo[box.y:box.y + box.h, box.x:box.x + box.w].min() < 128


def row_along(degrees: float, count: int, x0: float = 100, y0: float = 100, step: float = 40) -> Row:
    """A row of ``count`` digit boxes, their centres on a line falling ``degrees`` to the right."""
    rise = np.tan(np.radians(degrees))
    boxes = [Box(int(x0 + i * step), int(y0 + i * step * rise), 20, 30) for i in range(count)]
    return Row([Digit(box, "1", 1.0, "7", 0.0, np.zeros((28, 28), np.uint8)) for box in boxes])


@pytest.mark.parametrize("degrees", [-25, -8, 0, 12, 30])
def test_slope_is_the_direction_from_digits_to_their_neighbours(degrees):
    rows = [row_along(degrees, 6, y0=100), row_along(degrees, 4, y0=300)]
    assert level.slope(rows) == pytest.approx(degrees, abs=1.5)


def test_too_few_digits_tell_no_slope():
    assert level.slope([row_along(30, 2)]) == 0.0
    assert level.slope([]) == 0.0


@pytest.mark.parametrize("degrees", [-30, 9, 25])
def test_box_before_maps_a_box_of_the_level_image_back(degrees):
    image = np.zeros((120, 200), np.uint8)
    image[40:70, 90:110] = 255  # a 20×30 box at x=90, y=40
    flat, back = level.turned(image, degrees)
    ys, xs = np.nonzero(flat > 127)
    box = Box(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    before = level.box_before(box, back, image.shape)
    # The box around the turned square, turned back, holds the square and a margin of its corners.
    assert before.x <= 90 and before.y <= 40 and before.x + before.w >= 110 and before.y + before.h >= 70
    assert before.w * before.h <= 4 * 20 * 30


def test_region_to_read_again_holds_the_digits_and_a_margin_within_the_photo():
    rows = [row_along(0, 4, x0=300, y0=300, step=40)]  # boxes 20×30 from (300, 300) to (440, 330)
    margin = int(level.MARGIN * 30)
    assert level.region(rows, (1000, 1000)) == Box(300 - margin, 300 - margin, 140 + 2 * margin, 30 + 2 * margin)
    assert level.region(rows, (350, 460)) == Box(300 - margin, 300 - margin, 160 + margin, 50 + margin)  # clipped
