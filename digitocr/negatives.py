"""Crops that are not one digit, cut the way segmentation would cut them, for training the
model to say so.

Segmentation hands the classifier more than digits: pieces of a digit cut apart by a wrong
split, two touching digits left whole, and clutter (specks, scribbles, blots, rule crossings,
texture). A plain 10-class model reads all of them confidently as some digit, so the split
search and the clutter filters cannot trust its confidence. Trained to spread its probability
evenly over the ten classes on such crops (outlier exposure), its confidence becomes a usable
"is this one digit?" score while its outputs stay the 10 digit scores.

Everything is built from MNIST *training* digits and drawn shapes, and goes through the same
``to_mnist`` as the crops of a real page.
"""
from __future__ import annotations

import cv2
import numpy as np

from .normalize import to_mnist

NOT_A_DIGIT = -1  # the training label of these crops
SCALE = 3  # digits are drawn at 84×84 so cuts and overlaps have pixels to work with
INK = 100  # MNIST gray level taken as the edge of the ink
KINDS = ("piece", "pair", "clutter")


def make_negatives(images: np.ndarray, labels: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """``count`` 28×28 uint8 crops, white on black, a third of each kind, from training ``images``."""
    rng = np.random.default_rng(seed)
    makers = {"piece": lambda: piece(images, labels, rng), "pair": lambda: pair(images, rng),
              "clutter": lambda: clutter(rng)}
    crops = [to_mnist(makers[KINDS[i % len(KINDS)]]()) for i in range(count)]
    return np.array(crops, np.uint8).reshape(-1, 28, 28)


def big_mask(image: np.ndarray) -> np.ndarray:
    """An MNIST digit as a binary ink mask, SCALE times larger and cropped to its ink."""
    mask = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_LINEAR) > INK
    ys, xs = np.nonzero(mask)
    return mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.uint8)


def piece(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The left or right part of a digit cut by a slanted line, as a wrong split leaves it.

    Ones are not cut: a piece of a "1" is still a "1"."""
    while True:
        i = rng.integers(len(images))
        if labels[i] != 1:
            break
    mask = big_mask(images[i])
    h, w = mask.shape
    at = rng.uniform(0.3, 0.7) * w + rng.uniform(-0.15, 0.15) * w * (np.arange(h) / h - 0.5)[:, None]
    left = np.arange(w)[None, :] < at
    return mask * (left if rng.random() < 0.5 else ~left)


def pair(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two digits side by side, touching or overlapping, as one blob (an unsplit touching pair)."""
    a, b = (big_mask(images[rng.integers(len(images))]) for _ in range(2))
    h = max(a.shape[0], b.shape[0])
    overlap = int(rng.uniform(0.0, 0.3) * min(a.shape[1], b.shape[1]))
    canvas = np.zeros((h + 2 * SCALE, a.shape[1] + b.shape[1] - overlap), np.uint8)
    for mask, x in ((a, 0), (b, a.shape[1] - overlap)):
        y = rng.integers(0, canvas.shape[0] - mask.shape[0] + 1)
        canvas[y:y + mask.shape[0], x:x + mask.shape[1]] |= mask
    return canvas


def clutter(rng: np.random.Generator) -> np.ndarray:
    """Marks that are no digit: flat strokes, scribbles, blots, crossings of rules, grainy texture
    (pixel sizes below are for the 84×84 canvas)."""
    side = 28 * SCALE
    centre, reach = side // 2, side * 5 // 12  # strokes span most of the canvas
    canvas = np.zeros((side, side), np.uint8)
    pen = int(rng.integers(3, 10))
    kind = rng.integers(5)
    if kind == 0:  # a stroke far from vertical (a vertical one is a "1")
        angle = rng.uniform(-45, 45) * np.pi / 180
        dx, dy = reach * np.cos(angle), reach * np.sin(angle)
        cv2.line(canvas, (int(centre - dx), int(centre - dy)), (int(centre + dx), int(centre + dy)), 1, pen)
    elif kind == 1:  # a scribble: a random walk of short strokes
        points = np.cumsum(rng.normal(0, side / 6, (int(rng.integers(4, 9)), 2)), axis=0) + centre
        cv2.polylines(canvas, [np.clip(points, 0, side - 1).astype(np.int32)], False, 1, pen)
    elif kind == 2:  # a blot
        axes = (int(rng.integers(8, 30)), int(rng.integers(8, 30)))
        cv2.ellipse(canvas, (centre, centre), axes, float(rng.uniform(0, 180)), 0, 360, 1, -1)
    elif kind == 3:  # rules crossing, with a little of the next cell
        x, y = (int(v) for v in rng.integers(20, 64, 2))
        cv2.line(canvas, (x, 0), (x + int(rng.integers(-8, 9)), side - 1), 1, pen)
        cv2.line(canvas, (0, y), (side - 1, y + int(rng.integers(-8, 9))), 1, pen)
    else:  # texture: wood grain, paper fibre, noise
        noise = cv2.GaussianBlur(rng.random((side, side)).astype(np.float32), (0, 0), rng.uniform(1, 4),
                                 sigmaY=rng.uniform(1, 12))
        canvas = (noise > np.quantile(noise, rng.uniform(0.6, 0.85))).astype(np.uint8)
    return canvas
