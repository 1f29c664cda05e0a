"""Training crops for the pair model (pairs.py): two touching or overlapping digits as one blob,
labelled with both digits, and blobs that are not two digits, labelled NOT_A_DIGIT.

The pair model is asked about blobs the split search already doubts: wide ones and narrow ones
read unsurely. Besides true pairs those are wide single digits, three digits run together and a
digit with a piece of its neighbour, so those are the crops it learns to give equal scores.
Everything is built from the MNIST digits it is given (training digits for training) and goes
through the same ``to_pair`` as a blob of a real page.
"""
from __future__ import annotations

import cv2
import numpy as np

from .negatives import NOT_A_DIGIT, SCALE, big_mask, piece
from .normalize import tight
from .pairs import to_pair

OVERLAP = (-0.05, 0.45)  # how far the right digit reaches over the left, × the narrower digit's width
SIZE_RATIO = (0.85, 1.15)  # the right digit's height over the left's
DROP = 0.12  # vertical offset between the two, × their height, either way
SKIP_CHANCE = 0.1  # per digit: the pen skipped across one stroke
NOT_PAIRS = 0.35  # share of crops that are not two digits
WIDE_SINGLE = (0.8, 1.8)  # a single digit stretched this much sideways, as written wide


def make_pairs(images: np.ndarray, labels: np.ndarray, count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` 28×56 uint8 crops, white on black, and their N×2 labels (left digit, right digit;
    NOT_A_DIGIT twice for crops that are not two digits)."""
    rng = np.random.default_rng(seed)
    crops, pair_labels = [], []
    for _ in range(count):
        if rng.random() < NOT_PAIRS:
            mask, label = not_a_pair(images, labels, rng), (NOT_A_DIGIT, NOT_A_DIGIT)
        else:
            i, j = rng.integers(len(images), size=2)
            mask, label = side_by_side([digit(images[i], rng), digit(images[j], rng)], rng), (labels[i], labels[j])
        crops.append(to_pair(mask))
        pair_labels.append(label)
    return np.array(crops, np.uint8).reshape(-1, 28, 56), np.array(pair_labels, np.int64).reshape(-1, 2)


def digit(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit as a big ink mask, now and then with a pen skip across one stroke."""
    mask = big_mask(image)
    if rng.random() < SKIP_CHANCE:
        h, w = mask.shape
        angle, offset = rng.uniform(0, np.pi), rng.uniform(-0.25, 0.25) * h
        ys, xs = np.mgrid[0:h, 0:w]
        across = (xs - w / 2) * np.cos(angle) + (ys - h / 2) * np.sin(angle) - offset
        mask = mask * (np.abs(across) >= rng.uniform(0.5, 1.5) * SCALE)
    return mask


def side_by_side(masks: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """The masks written left to right, each reaching over its left neighbour, at their own sizes
    and heights: one blob."""
    height = masks[0].shape[0]
    scaled = [masks[0]]
    for mask in masks[1:]:
        size = rng.uniform(*SIZE_RATIO) * height / mask.shape[0]
        scaled.append(cv2.resize(mask, None, fx=size, fy=size, interpolation=cv2.INTER_NEAREST))
    drops = [0] + [int(rng.uniform(-DROP, DROP) * height) for _ in scaled[1:]]
    xs = [0]
    for left, right in zip(scaled, scaled[1:]):
        xs.append(xs[-1] + left.shape[1] - int(rng.uniform(*OVERLAP) * min(left.shape[1], right.shape[1])))
    top = min(drops)
    canvas = np.zeros((max(d - top + m.shape[0] for d, m in zip(drops, scaled)),
                       max(x + m.shape[1] for x, m in zip(xs, scaled))), np.uint8)
    for mask, x, drop in zip(scaled, xs, drops):
        y = drop - top
        canvas[y:y + mask.shape[0], x:x + mask.shape[1]] |= mask
    return canvas


def not_a_pair(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A wide single digit, three digits run together, or a digit with a piece of its neighbour."""
    kind = rng.random()
    if kind < 0.5:
        mask = digit(images[rng.integers(len(images))], rng)
        return cv2.resize(mask, None, fx=rng.uniform(*WIDE_SINGLE), fy=1.0, interpolation=cv2.INTER_NEAREST)
    if kind < 0.8:
        return side_by_side([digit(images[i], rng) for i in rng.integers(len(images), size=3)], rng)
    whole, part = digit(images[rng.integers(len(images))], rng), tight(piece(images, labels, rng) > 0).astype(np.uint8)
    return side_by_side([whole, part] if rng.random() < 0.5 else [part, whole], rng)
