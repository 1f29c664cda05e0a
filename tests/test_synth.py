"""The page generator (determinism, labels, layout knobs) and the bundled samples it made."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitocr.labels import read_labels
from digitocr.loading import load_image
from digitocr.mnist import Split
from digitocr.reader import Reader
from digitocr.synth import TIERS, page
from digitocr.synth.layout import lay_out
from digitocr.synth.strokes import digit_ink, skip_pen

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.mark.parametrize("tier", list(TIERS))
def test_same_seed_same_page(mnist_test, tier):
    a, b = page(mnist_test, TIERS[tier], seed=(5, 1)), page(mnist_test, TIERS[tier], seed=(5, 1))
    assert a.jpeg == b.jpeg and a.rows == b.rows and a.boxes == b.boxes
    assert page(mnist_test, TIERS[tier], seed=(5, 2)).jpeg != a.jpeg


@pytest.mark.parametrize("tier", list(TIERS))
def test_labels_and_boxes_describe_the_photo(mnist_test, tier):
    for seed in range(4):
        made = page(mnist_test, TIERS[tier], seed=(9, seed))
        image = made.image
        assert image.ndim == 3 and image.dtype == np.uint8
        low, high = TIERS[tier].rows
        assert low <= len(made.rows) <= high
        for row, boxes in zip(made.rows, made.boxes):
            assert row.replace(" ", "").isdigit() and "  " not in row
            assert len(boxes) == len(row.replace(" ", ""))  # one box per digit, none for gaps or separators
            for box in boxes:
                assert 0 <= box.x and box.x + box.w <= image.shape[1] and 0 <= box.y and box.y + box.h <= image.shape[0]
        centres = [np.mean([b.y + b.h / 2 for b in boxes]) for boxes in made.boxes]
        assert centres == sorted(centres)  # rows are listed top to bottom


def test_the_outline_of_a_sheet_on_a_desk_is_where_the_paper_is(mnist_test):
    """benchmarks/sheets.py scores the sheet finder against it."""
    on_desk = page(mnist_test, TIERS["hard"], seed=(9, 0))  # hard pages always lie on a desk
    gray = cv2.cvtColor(on_desk.image, cv2.COLOR_BGR2GRAY).astype(np.float32)
    outline = on_desk.sheet
    assert outline.shape == (4, 2)
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(outline).astype(np.int32), 1)
    paper = cv2.erode(inside, np.ones((15, 15), np.uint8)) > 0
    desk = cv2.dilate(inside, np.ones((15, 15), np.uint8)) == 0
    assert 0.1 < desk.mean() and abs(np.median(gray[paper]) - np.median(gray[desk])) > 25
    for boxes in on_desk.boxes:
        for b in boxes:
            assert inside[b.y + b.h // 2, b.x + b.w // 2]
    assert page(mnist_test, TIERS["clean"], seed=(9, 0)).sheet is None  # the paper fills the photo


def test_pages_use_only_the_digits_given(mnist_test):
    sevens = Split(mnist_test.images[mnist_test.labels == 7][:50], np.full(50, 7))
    made = page(sevens, TIERS["hard"], seed=3)
    assert set("".join(made.rows)) <= {"7", " "}


def test_each_digit_names_the_mnist_image_it_was_drawn_from(mnist_test):
    """benchmarks/digit_errors.py tells the model's own misreads from damaged crops with it."""
    made = page(mnist_test, TIERS["hard"], seed=(3, 5))
    assert [len(row) for row in made.sources] == [len(text.replace(" ", "")) for text in made.rows]
    drawn = "".join(str(mnist_test.labels[source]) for row in made.sources for source in row)
    assert drawn == "".join(made.rows).replace(" ", "")


def _row_boxes(writing):
    return [sorted(row) for row in writing.boxes]


def test_clean_digits_are_apart_and_touching_ones_overlap(mnist_test):
    rng = np.random.default_rng(0)
    apart = lay_out(mnist_test, TIERS["clean"], "plain", rng)
    for row in _row_boxes(apart):
        assert all(right[0] > left[2] for left, right in zip(row, row[1:]))
    touching = lay_out(mnist_test, replace(TIERS["hard"], touching_chance=1.0, group_chance=0.0), "plain", rng)
    for row in _row_boxes(touching):
        assert all(right[0] <= left[2] for left, right in zip(row, row[1:]))


def test_rows_are_well_apart(mnist_test):
    for seed in range(5):
        writing = lay_out(mnist_test, TIERS["hard"], "plain", np.random.default_rng(seed))
        for upper, lower in zip(writing.boxes, writing.boxes[1:]):
            upper_height = np.median([y1 - y0 for _, y0, _, y1 in upper])
            assert min(y0 for _, y0, _, _ in lower) - max(y1 for _, _, _, y1 in upper) > 0.3 * upper_height


def test_separators_are_drawn_but_not_labelled(mnist_test):
    knobs = replace(TIERS["hard"], group_chance=1.0, separator_chance=1.0, digits_per_row=(8, 10), touching_chance=0.0)
    writing = lay_out(mnist_test, knobs, "plain", np.random.default_rng(1))
    assert all(row.isdigit() for row in writing.rows)
    outside = writing.ink.copy()
    for row in writing.boxes:
        for x0, y0, x1, y1 in row:
            outside[y0:y1, x0:x1] = 0
    assert outside.sum() > 10  # the separators' ink lies between the digits' boxes


def test_ruled_rows_sit_on_the_printed_lines(mnist_test):
    writing = lay_out(mnist_test, TIERS["photo"], "ruled", np.random.default_rng(2))
    pitch, offset = writing.ruling.pitch, writing.ruling.offset
    for row in writing.boxes:
        baseline = np.median([y1 for *_, y1 in row])
        distance_to_line = (baseline - offset) % pitch
        assert min(distance_to_line, pitch - distance_to_line) < 0.3 * pitch


def test_pen_width_and_pen_skips(mnist_test):
    image = mnist_test.images[0]
    thin, normal, bold = (digit_ink(image, 60, width).sum() for width in (-0.8, 0.0, 0.8))
    assert thin < normal < bold
    ink = digit_ink(image, 60, 0.0)
    skipped = skip_pen(ink, gap=5, rng=np.random.default_rng(0))
    assert 0.8 * ink.sum() < skipped.sum() < ink.sum()


def test_chalkboard_is_light_on_dark(mnist_test):
    made = page(mnist_test, replace(TIERS["photo"], chalkboard_chance=1.0, desk_chance=0.0), seed=4)
    gray = cv2.cvtColor(made.image, cv2.COLOR_BGR2GRAY)
    assert np.median(gray) < 100 and np.percentile(gray, 99.9) > np.median(gray) + 80
    assert made.surface == "board"


def test_a_page_tells_what_it_is_written_on(mnist_test):
    plain = replace(TIERS["photo"], chalkboard_chance=0.0, ruled_chance=0.0, squared_chance=0.0)
    assert page(mnist_test, plain, seed=4).surface == "plain"
    assert page(mnist_test, replace(plain, squared_chance=1.0), seed=4).surface == "squared"
    assert page(mnist_test, replace(plain, ruled_chance=1.0), seed=4).surface == "ruled"


def test_every_sample_reads_exactly_as_labelled():
    items, problems = read_labels(SAMPLES)
    assert problems == [] and len(items) >= 8
    reader = Reader("base")
    for item in items:
        image = load_image(item.path)
        expected = [row.replace(" ", "") for row in item.rows]
        assert reader.read(image, str(item.path)).texts() == expected, item.path.name
        assert item.path.stat().st_size <= 200_000


def test_regenerating_the_samples_gives_the_same_labels(tmp_path, mnist_path):
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_samples.py"), "--out", str(tmp_path),
                    "--data", str(mnist_path)],
                   check=True, capture_output=True)
    assert (tmp_path / "labels.tsv").read_text() == (SAMPLES / "labels.tsv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in SAMPLES.iterdir())
