"""Blob ink mask → 28×28 crop that looks like an MNIST digit to the model.

MNIST's recipe: fit the digit into a 20×20 box keeping its aspect ratio (anti-aliased), then paste
it into 28×28 so that its centre of mass is the centre. Photos add one problem MNIST never had:
any pen on any digit size, so the stroke width is first brought to MNIST's share of the height.
The pair model (pairs.py) reads two touching digits from a 28×56 crop made the same way.
"""
from __future__ import annotations

import cv2
import numpy as np

Size = tuple[int, int]  # (height, width) in pixels
SIDE, BOX = (28, 28), (20, 20)  # an MNIST crop, and the box its ink is fitted into
WORK = 4  # strokes are re-drawn at 4× the final size so morphology has pixels to work with
STROKE = 0.13  # stroke width as a share of the box height that the model reads best (tuned)
# A digit read unsurely is read again drawn thinner and bolder (reader.py): on an ambiguous shape
# the stroke width sways the model (a thin 7 drawn bold reads as a 9).
THINNER, BOLDER = 0.09, 0.17


def to_mnist(mask: np.ndarray, stroke: float = STROKE) -> np.ndarray:
    """Blob ink mask (nonzero = ink) → 28×28 uint8, white digit on black, centred on its mass."""
    return to_crop(mask, BOX, SIDE, stroke)


def to_crop(mask: np.ndarray, box: Size, side: Size, stroke: float = STROKE) -> np.ndarray:
    """Blob ink mask → ``side`` uint8 crop: the ink fitted into ``box`` with its stroke width brought
    to ``stroke`` of the box height, white on black, centred on its mass."""
    ink = tight(mask > 0)
    if ink is None:
        return np.zeros(side, np.uint8)
    work = (WORK * box[0], WORK * box[1])
    redrawn = tight(restroke(fit(ink.astype(np.uint8) * 255, work) >= 128, work, stroke))
    # A hairline narrower than a pixel at the working size vanishes there: keep it as it was.
    ink = ink if redrawn is None else redrawn
    return centre(fit(ink.astype(np.uint8) * 255, box), side)


def tight(ink: np.ndarray) -> np.ndarray | None:
    """The ink (boolean) cropped to its bounding box, or None when there is no ink."""
    x, y, w, h = cv2.boundingRect(ink.view(np.uint8))  # (every crop passes here twice: OpenCV finds it fastest)
    return ink[y:y + h, x:x + w] if w else None


def fit(image: np.ndarray, box: Size) -> np.ndarray:
    """Resize to fill ``box`` in height or width, keeping the aspect ratio; grey, anti-aliased edges."""
    h, w = image.shape
    scale = min(box[0] / h, box[1] / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interpolation)


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width of a uint8 mask's ink (nonzero): twice the area over the perimeter, as
    binarize.stroke_widths measures it for every component of a page."""
    inner = cv2.erode(ink, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return 2 * cv2.countNonZero(ink) / max(cv2.countNonZero(ink - inner), 1)


def restroke(ink: np.ndarray, box: Size, stroke: float = STROKE) -> np.ndarray:
    """Thicken thin pens and thin out markers towards ``stroke`` of the height, MNIST's stroke width
    (boolean in, uint8 out), for ink just fitted into ``box``."""
    ink = ink.astype(np.uint8)
    target = stroke * max(ink.shape[0], ink.shape[1] * box[0] / box[1])
    radius = round((target - stroke_width(ink)) / 2)
    if radius == 0:
        return ink
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(radius) + 1,) * 2)
    if radius > 0:
        pad = radius + 1
        ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT)
        return cv2.dilate(ink, kernel)
    thinner = cv2.erode(ink, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    # Never erode a stroke away: keep the original where thinning would lose most of the digit.
    return thinner if thinner.sum() >= 0.3 * ink.sum() else ink


def centre(digit: np.ndarray, side: Size) -> np.ndarray:
    """Paste a grey digit (fitted into a smaller box) into ``side`` with its centre of mass in the middle.

    Whole-pixel shifts like MNIST's: a sub-pixel shift would blur the crop the model sees.
    """
    moments = cv2.moments(digit.astype(np.float32))
    h, w = digit.shape
    cy, cx = (moments["m01"] / moments["m00"], moments["m10"] / moments["m00"]) if moments["m00"] else (h / 2, w / 2)
    top = min(max(round(side[0] / 2 - cy), 0), side[0] - h)
    left = min(max(round(side[1] / 2 - cx), 0), side[1] - w)
    out = np.zeros(side, np.uint8)
    out[top:top + h, left:left + w] = digit
    return out
