"""Crops that are not one digit, made for training: what they look like and what the model makes of them."""
from __future__ import annotations

import numpy as np
import pytest

from digitocr.classifier import Classifier
from digitocr.negatives import KINDS, make_negatives, pair, piece
from digitocr.paths import shipped_model_path


def test_negatives_are_mnist_style_crops_and_reproducible(mnist_test):
    crops = make_negatives(mnist_test.images[:200], mnist_test.labels[:200], 30, seed=4)
    assert crops.shape == (30, 28, 28) and crops.dtype == np.uint8
    for crop in crops:
        ys, xs = np.nonzero(crop)
        assert crop.max() > 128 and np.ptp(ys) < 20 and np.ptp(xs) < 20  # ink, fitted into MNIST's 20×20 box
    assert np.array_equal(crops, make_negatives(mnist_test.images[:200], mnist_test.labels[:200], 30, seed=4))


def test_pieces_are_narrower_than_their_digit_and_pairs_wider(mnist_test):
    rng = np.random.default_rng(0)
    images, labels = mnist_test.images[:300], mnist_test.labels[:300]
    digit_width = np.median([np.ptp(np.nonzero(im > 100)[1]) + 1 for im in images]) * 3  # drawn 3× larger
    piece_widths = [np.ptp(np.nonzero(piece(images, labels, rng))[1]) + 1 for _ in range(50)]
    pair_widths = [pair(images, rng).shape[1] for _ in range(50)]
    assert np.median(piece_widths) < 0.8 * digit_width < 1.25 * digit_width < np.median(pair_widths)


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_model_doubts_what_is_not_a_digit(mnist_test, kind):
    """Made from *test* digits, so none of these was seen in training: the model's top probability
    stays low on them, and high on the test digits themselves."""
    shipped = Classifier(shipped_model_path())
    crops = make_negatives(mnist_test.images, mnist_test.labels, 600, seed=1)[KINDS.index(kind)::len(KINDS)]
    not_digits = shipped.predict(crops).max(axis=1)
    digits = shipped.predict(mnist_test.images[:600]).max(axis=1)
    assert np.median(not_digits) < 0.4 < 0.9 < np.median(digits)
