"""to_mnist: crops that look like MNIST digits to the shipped model, whatever the pen and size."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitocr.classifier import Classifier
from digitocr.normalize import stroke_width, to_mnist
from digitocr.paths import shipped_model_path


def ink_box(crop: np.ndarray) -> tuple[int, int]:
    """Height and width of the visible ink."""
    ys, xs = np.nonzero(crop > 40)
    return ys.max() - ys.min() + 1, xs.max() - xs.min() + 1


def mass_centre(crop: np.ndarray) -> tuple[float, float]:
    moments = cv2.moments(crop.astype(np.float32))
    return moments["m01"] / moments["m00"], moments["m10"] / moments["m00"]


def photo_mask(digit: np.ndarray, scale: int, pen: int) -> np.ndarray:
    """An MNIST digit as a binary mask the way segmentation cuts it from a photo: ``scale`` times
    bigger, its strokes thickened (pen > 0) or thinned (pen < 0) by ``abs(pen)`` pixels."""
    mask = (cv2.resize(digit, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) > 127).astype(np.uint8) * 255
    if pen:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(pen) + 1,) * 2)
        mask = cv2.dilate(mask, kernel) if pen > 0 else cv2.erode(mask, kernel)
    return mask


@pytest.mark.parametrize("shape", [(40, 30), (300, 200), (12, 9), (200, 500)])
def test_shape_box_and_centre_of_mass(shape):
    mask = np.zeros(shape, np.uint8)
    cv2.ellipse(mask, (shape[1] // 2, shape[0] // 2), (shape[1] // 3, shape[0] // 3), 0, 0, 360, 255, max(1, shape[0] // 10))
    crop = to_mnist(mask)
    assert crop.shape == (28, 28) and crop.dtype == np.uint8
    assert max(ink_box(crop)) <= 20
    cy, cx = mass_centre(crop)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


def test_thin_tall_one_keeps_its_aspect_ratio():
    mask = np.zeros((200, 40), np.uint8)
    cv2.line(mask, (25, 5), (15, 195), 255, 12)
    crop = to_mnist(mask)
    height, width = ink_box(crop)
    assert height >= 19 and width <= 8
    assert abs(mass_centre(crop)[1] - 14) <= 1


def test_empty_mask_gives_a_black_crop():
    assert not to_mnist(np.zeros((10, 10), np.uint8)).any()


def test_stroke_width_is_normalised(mnist_test):
    """Thin pens and fat markers on the same digit give nearly the same crop."""
    differences = []
    for digit in mnist_test.images[:50]:
        thin, fat = to_mnist(photo_mask(digit, 6, -2)), to_mnist(photo_mask(digit, 6, 5))
        differences.append(np.abs(thin.astype(int) - fat.astype(int)).mean() / 255)
    assert np.mean(differences) < 0.06


@pytest.fixture(scope="module")
def classifier():
    return Classifier(shipped_model_path())


@pytest.mark.parametrize("scale, pen", [(1, 0), (6, 0), (6, -2), (6, 5), (12, 8)])
def test_mnist_digits_cut_as_masks_are_still_read_right(mnist_test, classifier, scale, pen):
    """Re-normalised binary masks of MNIST test digits, at photo sizes and pen widths, are read as
    well as the model reads MNIST itself (up to a small loss): the crops look like MNIST."""
    digits, labels = mnist_test.images[:500], mnist_test.labels[:500]
    crops = np.array([to_mnist(photo_mask(digit, scale, pen)) for digit in digits])
    accuracy = (classifier.predict(crops).argmax(axis=1) == labels).mean()
    baseline = (classifier.predict(digits).argmax(axis=1) == labels).mean()
    print(f"scale {scale} pen {pen}: {accuracy:.3f} (MNIST itself {baseline:.3f})")
    assert accuracy >= 0.95 and accuracy >= baseline - 0.02


def test_solid_blots_have_a_stroke_width_of_their_size():
    # Outside the mask is background: a solid 3×1 blot is 3 px of ribbon, not an endless stroke.
    assert stroke_width(np.full((3, 1), 255, np.uint8)) <= 2
    assert stroke_width(np.full((12, 12), 255, np.uint8)) <= 12


def test_a_hairline_that_vanishes_when_shrunk_still_gives_a_crop():
    hairline = np.eye(300, dtype=np.uint8) * 255  # one-pixel diagonal: thinner than a pixel at 80×80
    crop = to_mnist(hairline)
    assert crop.shape == (28, 28) and crop.max() > 0
