"""The pair model: its crops, training data, training run and ONNX export, the shipped model's
accuracy on pairs of test digits, and its reading competing with the cut paths."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from digitocr import artifacts, split
from digitocr.cli import main
from digitocr.model import PairNet
from digitocr.negatives import NOT_A_DIGIT
from digitocr.pairdata import NOT_PAIRS, make_pairs
from digitocr.pairs import PAIR_SIDE, load_pair_model, to_pair
from digitocr.classifier import Classifier
from touching import as_blob, two_blocks_joined_by_a_bridge


@pytest.fixture(scope="module")
def pair_model():
    model = load_pair_model()
    assert model is not None, "the pair model ships with digitocr (models/digitocr-pairs.onnx)"
    return model


def test_a_pair_crop_fits_two_digits_side_by_side_into_28_by_56():
    crop = to_pair(two_blocks_joined_by_a_bridge())
    assert crop.shape == PAIR_SIDE and crop.dtype == np.uint8
    ys, xs = np.nonzero(crop > 64)
    assert 18 <= ys.max() - ys.min() + 1 <= 21  # the pair's height fills the 20 px box, as a digit's does
    assert abs((xs.max() - xs.min() + 1) - 52 / 40 * 20) <= 1.5  # its aspect is kept: no squeezing into one digit's room
    assert abs(xs.mean() - 28) <= 2 and abs(ys.mean() - 14) <= 2


def test_training_pairs_hold_two_digit_labels_or_none(mnist_splits):
    train, _ = mnist_splits
    crops, labels = make_pairs(train.images[:2000], train.labels[:2000], 400, seed=3)
    assert crops.shape == (400, *PAIR_SIDE) and labels.shape == (400, 2)
    not_pairs = labels[:, 0] == NOT_A_DIGIT
    assert (labels[not_pairs] == NOT_A_DIGIT).all() and abs(not_pairs.mean() - NOT_PAIRS) < 0.08
    assert set(labels[~not_pairs].ravel()) == set(range(10))
    assert (crops.reshape(400, -1).max(axis=1) == 255).all()  # every crop has ink


def test_shipped_pair_model_reads_pairs_of_test_digits(mnist_test, pair_model):
    crops, labels = make_pairs(mnist_test.images, mnist_test.labels, 1500, seed=7)
    probabilities = pair_model.predict(crops)
    assert probabilities.shape == (1500, 2, 10)
    pairs = labels[:, 0] != NOT_A_DIGIT
    right = (probabilities.argmax(axis=2) == labels).all(axis=1)
    assert right[pairs].mean() >= 0.9
    # Crops that are not two digits are read unsurely (0.1 is no preference at all).
    assert probabilities[~pairs].max(axis=2).mean() < probabilities[pairs].max(axis=2).mean() - 0.3


def test_tiny_pair_training_run_exports_what_torch_computes(tmp_path, mnist_path, mnist_test):
    out = tmp_path / "pairs"
    result = CliRunner().invoke(main, ["train-pairs", "--data", str(mnist_path), "--pairs", "600", "--epochs", "1",
                                       "--batch-size", "64", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = artifacts.model_files(out)
    meta = json.loads(files["metadata"].read_text())
    assert meta["best_epoch"] == 1 and 0 <= meta["test_pair_accuracy"] <= 1 and meta["params"] > 100_000
    crops, _ = make_pairs(mnist_test.images, mnist_test.labels, 32, seed=1)
    onnx = Classifier(files["onnx"], PAIR_SIDE, heads=2).predict(crops)
    model = PairNet()
    model.load_state_dict(torch.load(files["weights"], weights_only=True))
    with torch.no_grad():
        scores = model.eval()(torch.from_numpy(crops).float().div(255).unsqueeze(1)).view(-1, 2, 10)
    assert np.abs(onnx - torch.softmax(scores, dim=2).numpy()).max() < 1e-4


def test_a_sure_pair_reading_beats_unsure_cut_paths_and_stands_where_the_cut_is():
    hypotheses = split.hypotheses(as_blob(two_blocks_joined_by_a_bridge()), height=40)
    assert hypotheses.may_be_pair
    probabilities = np.full((len(hypotheses.pieces), 10), 0.1)  # no piece looks like any digit
    pair = np.full((2, 10), 0.01)
    pair[0, 3], pair[1, 8] = 0.91, 0.91
    reading = split.best_reading(hypotheses, probabilities, 40, pair)
    assert [int(p.argmax()) for _, p in reading] == [3, 8]
    assert [len(hypotheses.paths[0])] != [len(reading)]
    assert tuple(i for i, _ in reading) in hypotheses.paths  # the digits' boxes are a two-piece path's
    # An unsure pair reading loses to a whole blob read surely.
    probabilities[0, 0] = 0.95
    unsure = np.full((2, 10), 0.1)
    assert [i for i, _ in split.best_reading(hypotheses, probabilities, 40, unsure)] == [0]


def test_without_a_pair_model_reading_chooses_among_the_cuts_alone(tmp_path):
    assert load_pair_model(tmp_path / "missing.onnx") is None
    hypotheses = split.hypotheses(as_blob(two_blocks_joined_by_a_bridge()), height=40)
    probabilities = np.full((len(hypotheses.pieces), 10), 0.1)
    probabilities[0, 0] = 0.95
    plan = split.Plan([[hypotheses]], [40.0])
    assert [[i for i, _ in row] for row in plan.choose(probabilities, None)] == [[0]]
