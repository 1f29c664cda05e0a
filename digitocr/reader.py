"""The reading pipeline: image → segment → MNIST-style crops → one batched predict → Page.

Two more batches classify the pieces of the blobs that their reading whole leaves in doubt
(split.reconsider: maybe touching digits), one more the blobs that may be two touching digits,
with the pair model (pairs.py), and one more the digits read unsurely, drawn thinner and bolder
(steadied); a page whose rows slope steeply is read again, turned level (level.py)."""
from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import numpy as np

from . import level, marks, orient, spacing, split
from .classifier import DIGIT_LIKE, Classifier
from .loading import scaled, with_paper_around
from .modelchoice import load_classifier
from .normalize import BOLDER, THINNER, to_mnist
from .pairs import load_pair_model, read_pairs
from .results import Box, Digit, Page, Row
from .scale import working_scale
from .segment import Blob, segment

# A photo in which nothing looks like a digit is read again at most this big, with paper around it
# this many times its side wide (see _read_with_paper_around).
PAPER_SIDE, PAPER_MARGIN = 400, 1.0
# A digit read whole less surely than this is read again drawn thinner and bolder (normalize.py),
# the three readings averaged (steadied).
STEADY_BELOW = 0.9


class Reader:
    """Reads many images with one classifier, loaded once."""

    def __init__(self, model: str | Path | None = None, rotate: int | None = None):
        """``rotate``: degrees (0, 90, 180, 270) to turn every image clockwise; None detects it per image."""
        self.classifier = load_classifier(model)
        self.model, self.rotate = model, rotate

    @cached_property
    def pairs(self) -> Classifier | None:
        """The pair model, loaded when a page first has a blob that may be two digits (20 ms saved
        on pages that have none)."""
        return load_pair_model()

    def read(self, image: np.ndarray, source: str = "<array>") -> Page:
        """Gray or BGR uint8 image → Page of rows (top to bottom) of digits (left to right).

        Boxes are in the coordinates of ``image`` even when it was read shrunk or turned upright."""
        scale = working_scale(image)
        work = scaled(image, scale) if scale < 1 else image  # a big photo of tall digits, shrunk
        turn = self.rotate or 0
        upright = orient.turn(work, turn)
        rows, detected = self._read_upright(upright, detect=self.rotate is None)
        if detected:  # a sideways or upside-down photo: read it again the right way up
            turned = orient.turn(work, detected)
            rows, _ = self._read_upright(turned, detect=False)
            if rows:  # (else the turn was judged on what looks like no digit either way)
                turn, upright = detected, turned
        rows = self._read_level(upright, rows) if rows else self._read_with_paper_around(upright)
        if turn:
            move_boxes(rows, lambda box: orient.box_before_turn(box, turn, upright.shape))
        height, width = image.shape[:2]
        if work is not image:
            move_boxes(rows, lambda box: box.scaled(width / work.shape[1]))
        return Page(source, width, height, rows, self.classifier.name)

    def _read_level(self, image: np.ndarray, rows: list[Row]) -> list[Row]:
        """The rows, read again with the photo turned level when they slope steeply (see level.py)."""
        turned_by, slope = 0.0, level.slope(rows)
        for _ in range(level.PASSES):
            if abs(slope) < level.LEVEL_FROM:
                break
            # Rows that fell apart on a steep page tell their slope only roughly: the reading
            # nearer level tells what is left of it.
            turned_by += slope
            part = level.region(rows, image.shape)
            flat, back = level.turned(image[part.y:part.y + part.h, part.x:part.x + part.w], turned_by)
            flat_rows, _ = self._read_upright(flat, detect=False)
            # Kept only if its digits read more surely: where rows slope differently (perspective),
            # turning the page by their median slope can leave some worse off than before.
            if not flat_rows or level.surety(flat_rows) < level.surety(rows):
                break
            slope = level.slope(flat_rows)
            move_boxes(flat_rows, lambda box: level.box_before(box, back, (part.h, part.w)).shifted(part.x, part.y))
            rows = flat_rows
        return rows

    def _read_with_paper_around(self, image: np.ndarray) -> list[Row]:
        """The rows of a photo in which nothing looked like a digit, read again with paper around it.

        In a close-up whose strokes are wider than the background window the threshold keeps only
        their edges (see heights.CLOSE_UP); with paper around it, the photo is a page again."""
        padded, scale, pad = with_paper_around(image, min(PAPER_SIDE, max(image.shape[:2])), PAPER_MARGIN)
        rows, _ = self._read_upright(padded, detect=False)
        move_boxes(rows, lambda box: box.shifted(-pad, -pad).scaled(1 / scale))
        return rows

    def _read_upright(self, image: np.ndarray, detect: bool) -> tuple[list[Row], int]:
        """The image's rows, or no rows and the clockwise turn that makes it upright (when ``detect``)."""
        plan = split.plan(marks.remove(segment(image)))  # every blob whole (and with strokes broken off it)
        crops = np.array([to_mnist(blob.mask) for blob in plan.pieces], np.uint8).reshape(-1, 28, 28)
        judges = [plan.whole[i] for i in orient.evidence([plan.pieces[j] for j in plan.whole])] if detect else []
        probabilities = self.classifier.predict(np.concatenate([crops, orient.turned(crops[judges])]))  # one batch
        turn = orient.upright_turn([plan.pieces[i] for i in judges],
                                   np.concatenate([probabilities[judges], probabilities[len(crops):]]))
        if turn:
            return [], turn
        # Blobs wide for one digit and read unsurely, or narrow and read very unsurely (overlapping
        # digits can be as narrow as one), may be touching digits: 1 to 4 pieces each.
        plan, crops, probabilities = split.reconsider(plan, crops, probabilities[:len(crops)], self.classifier.predict)
        blobs = plan.pair_blobs
        pairs = read_pairs(self.pairs, blobs) if blobs and self.pairs else None  # two touching digits read whole
        # The stroke width a crop is drawn with sways the model on an ambiguous shape (a thin 7 drawn
        # bold reads as a 9): digits read unsurely are read with three (steadied).
        readings = steadied(plan, plan.choose(probabilities, pairs), self.classifier.predict)
        # A row in which no crop looks like a digit is clutter, not writing.
        readings = [row for row in readings if row and max(p.max() for _, p in row) >= DIGIT_LIKE]
        return spacing.mark_spaces(assemble(plan.pieces, crops, readings)), 0


def steadied(plan: split.Plan, readings: list[list[split.Reading]],
             predict: Callable[[np.ndarray], np.ndarray]) -> list[list[split.Reading]]:
    """The rows' ``readings``, each digit that is a blob read whole, and read unsurely, read again
    drawn with thinner and with bolder strokes, and the three readings averaged."""
    whole = set(plan.whole)
    doubtful = [(r, k) for r, row in enumerate(readings) for k, (i, p) in enumerate(row)
                if i in whole and p.max() < STEADY_BELOW]
    if not doubtful:
        return readings
    masks = [plan.pieces[readings[r][k][0]].mask for r, k in doubtful]
    redrawn = predict(np.array([to_mnist(mask, stroke) for stroke in (THINNER, BOLDER) for mask in masks]))
    result = [list(row) for row in readings]
    for (r, k), thinner, bolder in zip(doubtful, redrawn[:len(masks)], redrawn[len(masks):]):
        i, p = readings[r][k]
        result[r][k] = (i, (p + thinner + bolder) / 3)
    return result


def move_boxes(rows: list[Row], where: Callable[[Box], Box]) -> None:
    """Give every digit of ``rows`` the box ``where`` its box lies (in the image the rows came from)."""
    for row in rows:
        for digit in row.digits:
            digit.box = where(digit.box)


def assemble(pieces: list[Blob], crops: np.ndarray, readings: list[list[split.Reading]]) -> list[Row]:
    """The rows' readings (the piece where each digit is, and its probabilities) → Rows of Digits,
    each with its piece's box and crop."""
    return [Row([_digit(pieces[i], crops[i], probabilities) for i, probabilities in row]) for row in readings]


def _digit(blob: Blob, crop: np.ndarray, probabilities: np.ndarray) -> Digit:
    best, second = (int(label) for label in np.argsort(-probabilities)[:2])
    return Digit(box=blob.box, label=str(best), confidence=float(probabilities[best]),
                 runner_up=str(second), runner_up_confidence=float(probabilities[second]), crop=crop)
