"""Crops cut from generated pages for training: labelled by the digits drawn under them."""
from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from digitocr.cli import main
from digitocr.classifier import Classifier
from digitocr.negatives import NOT_A_DIGIT
from digitocr.paths import shipped_model_path
from digitocr.pagecrops import harvest, labels_of
from digitocr.reader import Reader
from digitocr.results import Box


def test_each_digit_read_is_labelled_by_what_is_drawn_under_it():
    drawn = [(str(d), Box(100 * d, 0, 40, 50)) for d in range(5)]  # digits 0..4, 60 px apart
    read = [
        Box(2, 2, 38, 46),      # over 0 alone: a 0, whatever the model read
        Box(100, 0, 140, 50),   # over 1 and 2: two digits left whole
        Box(300, 0, 18, 50),    # the left half of 3 ...
        Box(320, 0, 20, 50),    # ... and its right half: pieces
        Box(400, 200, 40, 50),  # below everything: clutter
    ]
    assert labels_of(drawn, read) == [0, NOT_A_DIGIT, NOT_A_DIGIT, NOT_A_DIGIT, NOT_A_DIGIT]


def test_a_digit_also_under_a_merged_neighbour_is_left_out():
    drawn = [("1", Box(0, 0, 40, 50)), ("2", Box(60, 0, 40, 50))]
    read = [Box(0, 0, 100, 50), Box(65, 5, 30, 40)]  # both digits whole, and 2 again on its own
    assert labels_of(drawn, read) == [NOT_A_DIGIT, None]


def test_harvested_digits_are_the_digits_drawn(mnist_splits):
    """The labels line up with the crops: the shipped model reads nearly all of them as labelled
    (only damaged digits differ), and the page's clutter and merged digits are marked as such."""
    train, _ = mnist_splits
    crops, labels = harvest(train, Reader("base"), pages=6, seed=0)
    assert crops.shape == (len(labels), 28, 28) and len(labels) > 60
    assert set(np.unique(labels)) <= set(range(-1, 10))
    digits = labels >= 0
    read = Classifier(shipped_model_path()).predict(crops[digits]).argmax(1)
    assert np.mean(read == labels[digits]) > 0.9


def test_worker_processes_cut_the_same_crops(mnist_splits):
    train, _ = mnist_splits
    alone = harvest(train, Reader("base"), pages=4, seed=3)
    together = harvest(train, Reader("base"), pages=4, seed=3, jobs=2)
    assert len(alone[1]) > 20 and np.array_equal(alone[0], together[0]) and np.array_equal(alone[1], together[1])


def test_training_from_the_shipped_model_on_page_crops(tmp_path, mnist_path):
    out = tmp_path / "adapted"
    result = CliRunner().invoke(main, ["train", "--data", str(mnist_path), "--limit", "256", "--epochs", "1",
                                       "--lr", "1e-6", "--start-from", str(shipped_model_path()), "--pages", "2",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["page_crops"]["pages"] == 2 and meta["page_crops"]["crops"] > 10
    assert meta["page_crops"]["cut_with"]["date"] == meta["started_from"]["date"]
    assert meta["started_from"]["name"] == "digitocr-mnist"
    # Started from the shipped weights, barely moved: nothing like a fresh net after 2 steps.
    assert meta["test_accuracy"] > 0.99


def test_a_missing_start_model_is_a_clear_error(tmp_path, mnist_path):
    result = CliRunner().invoke(main, ["train", "--data", str(mnist_path), "--limit", "64", "--epochs", "1",
                                       "--start-from", str(tmp_path / "nothing"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "no weights at" in result.output and "Traceback" not in result.output
