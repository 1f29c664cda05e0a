"""The Reader pipeline and the ``digitocr.read`` Python API."""
from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

import digitocr
from digitocr import split
from digitocr.classifier import ModelError
from digitocr.loading import ImageError
from digitocr.normalize import to_mnist
from digitocr.reader import STEADY_BELOW, Reader, steadied
from digitocr.scale import working_scale
from digitocr.synth.strokes import digit_ink, side_by_side
from pages import clear_digits, compose, encode
from touching import as_blob
from touching import digit_ink as mnist_ink

ROWS = ["40729183", "5561", "238"]


@pytest.fixture(scope="module")
def digits(mnist_test):
    return clear_digits(mnist_test)


@pytest.fixture(scope="module")
def reader():
    return Reader()


@pytest.fixture(scope="module")
def page_image(digits):
    return compose(ROWS, digits)


class CountingClassifier:
    """Wraps a classifier and records the batch size of every predict() call."""

    def __init__(self, classifier):
        self.classifier, self.name, self.batches = classifier, classifier.name, []

    def predict(self, crops):
        self.batches.append(len(crops))
        return self.classifier.predict(crops)


def test_reads_rows_top_to_bottom_digits_left_to_right(reader, page_image):
    page = reader.read(page_image, "page.png")
    assert page.texts() == ROWS
    assert (page.source, page.width, page.height) == ("page.png", page_image.shape[1], page_image.shape[0])
    assert page.model == reader.classifier.name
    tops = [row.box.y for row in page.rows]
    assert tops == sorted(tops)
    for row in page.rows:
        lefts = [d.box.x for d in row.digits]
        assert lefts == sorted(lefts)


def test_digits_carry_box_confidence_runner_up_and_crop(reader, page_image):
    page = reader.read(page_image)
    height, width = page_image.shape
    for digit in (d for row in page.rows for d in row.digits):
        assert digit.label in "0123456789" and digit.runner_up in "0123456789"
        assert digit.runner_up != digit.label
        assert 0 <= digit.runner_up_confidence <= digit.confidence <= 1
        assert digit.crop.shape == (28, 28) and digit.crop.dtype == np.uint8
        assert digit.crop[14, :].max() > 128 or digit.crop[:, 14].max() > 128  # white ink on black
        assert digit.crop[0].max() < 64  # MNIST-style margin
        box = digit.box
        assert 0 <= box.x and box.x + box.w <= width and 0 <= box.y and box.y + box.h <= height
        assert box.h > 20  # the whole digit, not a fragment
        assert digit.space_before is False


def test_one_batched_predict_for_all_rows(page_image):
    reader = Reader()
    reader.classifier = CountingClassifier(reader.classifier)
    reader.read(page_image)
    batches = reader.classifier.batches
    assert len(batches) == 1 and batches[0] >= sum(len(r) for r in ROWS)  # candidate pieces may add crops


def test_a_big_photo_is_read_shrunk_and_its_boxes_are_in_its_own_pixels(reader, page_image):
    """Enlarged 4×, the page is read at the working scale (scale.py): the same rows, and every
    digit's box where the page's box lies in the enlarged photo."""
    big = cv2.resize(page_image, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC)
    assert working_scale(big) < 0.5
    page, enlarged = reader.read(page_image), reader.read(big)
    assert enlarged.texts() == ROWS and (enlarged.width, enlarged.height) == (big.shape[1], big.shape[0])
    for small, large in zip((d for row in page.rows for d in row.digits), (d for row in enlarged.rows for d in row.digits)):
        for near, far in zip((small.box.x, small.box.y, small.box.w, small.box.h), (large.box.x, large.box.y, large.box.w, large.box.h)):
            assert abs(4 * near - far) <= 12  # the page's ink edges are soft: a pixel or so either way


def test_a_big_sideways_photo_is_read_upright_with_boxes_on_its_digits(reader, page_image):
    """Shrunk and turned: boxes come back through both, onto the digits of the photo as stored."""
    big = cv2.rotate(cv2.resize(page_image, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC), cv2.ROTATE_90_CLOCKWISE)
    page = reader.read(big)
    assert page.texts() == ROWS
    for box in (d.box for row in page.rows for d in row.digits):
        assert 0 <= box.x and box.x + box.w <= big.shape[1] and 0 <= box.y and box.y + box.h <= big.shape[0]
        assert box.w > 100 and big[box.y:box.y + box.h, box.x:box.x + box.w].min() < 128  # a digit's height across


def test_digits_read_unsurely_are_read_again_thinner_and_bolder(mnist_test, reader):
    """MNIST's test digits cut as from a page, one per row: those read unsurely get the average of
    three readings, drawn with three stroke widths, and more of them are read right."""
    plan = split.plan([[as_blob(mnist_ink(image))] for image in mnist_test.images])
    readings = plan.choose(reader.classifier.predict(np.array([to_mnist(blob.mask) for blob in plan.pieces])))
    once = np.array([row[0][1] for row in readings])
    again = np.array([row[0][1] for row in steadied(plan, readings, reader.classifier.predict)])
    changed = (again != once).any(axis=1)
    assert changed.any() and np.all(once[changed].max(axis=1) < STEADY_BELOW)
    right_once, right_again = (np.sum(p.argmax(axis=1) == mnist_test.labels) for p in (once, again))
    assert right_again > right_once  # 9,964 against 9,956 of 10,000 with the shipped model


def test_blank_page_has_no_rows(reader):
    page = reader.read(np.full((300, 400, 3), 240, np.uint8))
    assert page.rows == [] and page.texts() == [] and (page.width, page.height) == (400, 300)


def test_gray_and_colour_images_read_the_same(reader, page_image):
    colour = cv2.cvtColor(page_image, cv2.COLOR_GRAY2BGR)
    colour[..., 0] = np.minimum(colour[..., 0].astype(int) + 20, 255)  # bluish paper, dark ink
    assert reader.read(colour).texts() == reader.read(page_image).texts() == ROWS


def test_json_export_roundtrips(reader, page_image):
    document = json.loads(json.dumps(reader.read(page_image, "p.png").to_dict()))
    assert [row["text"] for row in document["rows"]] == ROWS
    assert document["source"] == "p.png" and document["model"] == reader.classifier.name
    assert len(document["rows"][0]["digits"]) == len(ROWS[0])


def test_api_reads_paths_and_arrays(tmp_path, page_image):
    path = tmp_path / "page.png"
    path.write_bytes(encode(page_image))
    assert digitocr.read(path).texts() == ROWS
    from_str = digitocr.read(str(path))
    assert from_str.source == str(path) and from_str.texts() == ROWS
    from_array = digitocr.read(page_image)
    assert from_array.source == "<array>" and from_array.texts() == ROWS


def test_api_accepts_16_bit_and_bgra_arrays(page_image):
    assert digitocr.read(page_image.astype(np.uint16) * 257).texts() == ROWS
    bgra = cv2.cvtColor(page_image, cv2.COLOR_GRAY2BGRA)
    assert digitocr.read(bgra, model="base").texts() == ROWS


def test_api_errors(tmp_path):
    with pytest.raises(ImageError, match="nothing.png: no such file"):
        digitocr.read(tmp_path / "nothing.png")
    with pytest.raises(ModelError, match="does not exist"):
        digitocr.read(np.zeros((10, 10), np.uint8), model=tmp_path / "none.onnx")


def run_python(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout


def test_reading_never_imports_torch(tmp_path, page_image):
    path = tmp_path / "page.png"
    path.write_bytes(encode(page_image))
    api = "import sys, digitocr; page = digitocr.read(sys.argv[1]); print(page.texts(), 'torch' in sys.modules)"
    assert run_python(api, str(path)).split()[-1] == "False"
    cli = ("import sys; from digitocr.cli import main\n"
           "try: main(['read', '--table', sys.argv[1]])\n"
           "except SystemExit: pass\n"
           "print('torch' in sys.modules)")
    assert run_python(cli, str(path)).split()[-1] == "False"


def test_importing_digitocr_is_cheap():
    assert run_python("import sys, digitocr; print(sorted({'cv2', 'numpy', 'torch', 'rich'} & set(sys.modules)))") == "[]\n"


def ink_box(image: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(image < 128)
    return ys.min(), ys.max() + 1, xs.min(), xs.max() + 1


@pytest.mark.parametrize("text", ["40729183", "5561", "7"])
def test_a_close_up_in_which_the_digits_fill_the_photo(reader, digits, text):
    """Photographed from close by, the digits span most of the photo's height and their strokes
    are a sizeable share of its width: the page-sized assumptions (background window, what counts
    as a long line, which components vote for the digit height) must not break them."""
    page = compose([text], digits)
    top, bottom, left, right = ink_box(page)
    margin = (bottom - top) // 6
    close_up = page[top - margin:bottom + margin, left - margin:right + margin]
    assert reader.read(close_up).texts() == [text]
    # Blown up further, a single digit fills nearly the whole photo.
    assert reader.read(cv2.resize(close_up, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)).texts() == [text]
    # As a phone shoots it, 4000 px long: read at the working scale (scale.py).
    phone = cv2.resize(close_up, None, fx=4000 / max(close_up.shape), fy=4000 / max(close_up.shape),
                       interpolation=cv2.INTER_CUBIC)
    assert reader.read(phone).texts() == [text]


def crossed_circle(side: int) -> np.ndarray:
    mark = np.zeros((side, side), np.uint8)
    middle, radius, pen = side // 2, side * 2 // 5, max(2, side // 14)
    cv2.circle(mark, (middle, middle), radius, 255, pen)
    reach = int(0.8 * radius)  # the cross stays inside the circle
    cv2.line(mark, (middle - reach, middle - reach), (middle + reach, middle + reach), 255, pen)
    cv2.line(mark, (middle + reach, middle - reach), (middle - reach, middle + reach), 255, pen)
    return mark


def test_a_row_in_which_nothing_looks_like_a_digit_is_left_out(reader, digits):
    """A row of marks the model gives about equal scores for every digit (crossed circles here;
    on photos, desk texture, stains, pieces of rules) is clutter, not a row of digits."""
    page = compose(ROWS[1:2], digits)
    height, width = page.shape
    page = np.vstack([page, np.full((height, width), page[0, 0], np.uint8)])
    for x in range(40, width - 60, 80):
        page[height + 20:height + 76, x:x + 56] = np.minimum(page[height + 20:height + 76, x:x + 56], 255 - crossed_circle(56))
    assert reader.read(page).texts() == ROWS[1:2]


def test_a_digit_so_bold_and_close_that_its_strokes_are_wider_than_the_background_window(reader, digits):
    """A marker digit filling the photo: the page-sized background window keeps only the edges of
    its strokes, slivers that look shorter than the digit, so the close-up window must widen
    again for the digit they then show; where nothing looks like a digit, the photo is read
    again with paper around it."""
    right = 0
    for digit, samples in digits.items():
        for sample in samples:
            ink = cv2.dilate(cv2.resize(sample, (64, 64), interpolation=cv2.INTER_CUBIC), np.ones((5, 5), np.uint8))
            page = reader.read(np.pad(255 - ink, 16, constant_values=255))
            right += page.texts() == [digit]
            for d in (d for row in page.rows for d in row.digits):  # boxes in the photo's coordinates
                assert 8 <= d.box.x and d.box.x + d.box.w <= 88 and 8 <= d.box.y and d.box.y + d.box.h <= 88
    assert right >= 36  # of 40 (33 with one close-up pass, widened once)


@pytest.mark.parametrize("text", ["4072", "5561", "382", "96"])
def test_a_row_of_marker_digits_close_up_with_a_narrow_margin(reader, digits, text):
    """Bold strokes, digits a quarter of their height apart and little paper around them: ink fills
    most of the page-sized background window, which takes the strokes for background and leaves
    only their outlines, in slivers too short to pass for the digits of a close-up."""
    height = 120
    for shift in range(4):
        inks = [digit_ink(digits[char][(i + shift) % 4], height, pen_width=2.0) for i, char in enumerate(text)]
        row = side_by_side(inks, gap=height // 4)
        photo = np.pad((235 - 200 * row).astype(np.uint8), height * 3 // 20, constant_values=235)
        assert reader.read(photo).texts() == [text], shift


def test_light_digits_on_a_dark_grainy_ground(reader, digits):
    """Chalk on a dark board, close up: the board's grain is large relative to its little light,
    but it must not raise the noise floor above what the chalk itself reaches."""
    page = compose(["5561"], digits)
    top, bottom, left, right = ink_box(page)
    margin = (bottom - top) // 4
    board = 245 - page[top - margin:bottom + margin, left - margin:right + margin].astype(np.int16)  # ground ≈ 14
    grain = np.random.default_rng(0).normal(0, 9, board.shape)
    assert reader.read(np.clip(board + grain, 0, 255).astype(np.uint8)).texts() == ["5561"]
