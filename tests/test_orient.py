"""Sideways and upside-down photos are detected and read like the upright page."""
from __future__ import annotations

import numpy as np
import pytest

from digitocr import orient
from digitocr.reader import Reader
from digitocr.results import Box
from pages import clear_digits, compose

ROWS = ["40729183", "5561", "238"]


@pytest.fixture(scope="module")
def page(mnist_test):
    return compose(ROWS, clear_digits(mnist_test))


@pytest.fixture(scope="module")
def reader():
    return Reader()


@pytest.mark.parametrize("stored", [90, 180, 270])
def test_turned_photo_reads_like_the_upright_one(reader, page, stored):
    photo = orient.turn(page, stored)  # the phone stored the page turned clockwise by `stored`
    read = reader.read(photo)
    assert read.texts() == ROWS
    assert (read.width, read.height) == (photo.shape[1], photo.shape[0])


def test_boxes_of_a_turned_photo_frame_the_digits_in_the_photo(reader, page):
    photo = orient.turn(page, 90)  # turned clockwise: upright (x, y) lands at (H - 1 - y, x)
    upright = [d.box for row in reader.read(page).rows for d in row.digits]
    turned = [d.box for row in reader.read(photo).rows for d in row.digits]
    height = page.shape[0]
    assert turned == [Box(height - box.y - box.h, box.x, box.h, box.w) for box in upright]
    for box in turned:
        assert photo[box.y:box.y + box.h, box.x:box.x + box.w].min() < 128  # there is ink in it


def test_forced_rotation_is_used_as_given(page):
    photo = orient.turn(page, 270)
    assert Reader(rotate=90).read(photo).texts() == ROWS
    assert Reader(rotate=0).read(photo).texts() != ROWS


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_box_before_turn_undoes_the_turn(degrees):
    image = np.zeros((30, 50), np.uint8)
    image[5:12, 20:24] = 255  # a 4×7 box at x=20, y=5
    turned = orient.turn(image, degrees)
    ys, xs = np.nonzero(turned)
    box = Box(int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    assert orient.box_before_turn(box, degrees, turned.shape) == Box(20, 5, 4, 7)


def test_shape_evidence_tells_rows_from_columns():
    from digitocr.segment import Blob
    upright = [Blob(Box(60 * i, 0, 30, 50), np.full((50, 30), 255, np.uint8)) for i in range(5)]
    sideways = [Blob(Box(0, 60 * i, 50, 30), np.full((30, 50), 255, np.uint8)) for i in range(5)]
    assert orient.shape_evidence(upright) > 0 > orient.shape_evidence(sideways)
