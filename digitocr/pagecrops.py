"""Crops as the reader cuts them from generated photos of MNIST *training* digits, labelled by the
digits drawn under them: what the model meets on real pages and MNIST alone does not show it.

Segmentation hands the classifier digits damaged by pen skips, blur, JPEG and erased rules, and
things that are not one digit: two touching digits left whole, pieces of a digit split apart,
clutter. Each digit read on a generated page is matched to the digits drawn there (by box
centres): over exactly one drawn digit and alone there, it is that digit, whatever the model read;
over two or more, a piece of one, or over none, it is NOT_A_DIGIT. Training on these teaches the
model the damaged digits, and to doubt the crops the touching-digit search should cut.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .mnist import Split
from .negatives import NOT_A_DIGIT
from .reader import Reader
from .results import Box
from .synth import TIERS, page
from .synth.matching import match
from .workers import in_workers

KNOBS = (TIERS["photo"], TIERS["hard"])  # pages alternate between these; clean pages hold MNIST's own crops
SEED = 7919  # prefixed to the page seeds, so no training page repeats the layout of an evaluation page (seeds (tier, i))


def harvest(digits: Split, reader: Reader, pages: int, seed: int, jobs: int = 1,
            advance: Callable[[], None] = lambda: None) -> tuple[np.ndarray, np.ndarray]:
    """Crops (N×28×28 uint8) and labels (0..9 or NOT_A_DIGIT) from ``pages`` pages of ``digits``,
    read by ``reader``'s model in up to ``jobs`` worker processes."""
    if jobs > 1 and pages >= 2 * jobs:
        cut = in_workers(_cut_in_worker, range(pages), jobs, _start_cutter, (digits, reader.model, seed))
    else:
        cut = (cut_page(digits, reader, seed, i) for i in range(pages))
    crops, labels = [], []
    for page_crops, page_labels in cut:
        crops += page_crops
        labels += page_labels
        advance()
    return np.array(crops, np.uint8).reshape(-1, 28, 28), np.array(labels, np.int64)


def cut_page(digits: Split, reader: Reader, seed: int, i: int) -> tuple[list[np.ndarray], list[int]]:
    """The crops read on page ``i`` that have a label, and their labels."""
    made = page(digits, KNOBS[i % len(KNOBS)], (SEED, seed, i))
    drawn = [(label, box) for text, boxes in zip(made.rows, made.boxes)
             for label, box in zip(text.replace(" ", ""), boxes)]
    read = [digit for row in reader.read(made.image).rows for digit in row.digits]
    labelled = [(digit.crop, label) for digit, label in zip(read, labels_of(drawn, [digit.box for digit in read]))
                if label is not None]
    return [crop for crop, _ in labelled], [label for _, label in labelled]


def labels_of(drawn: list[tuple[str, Box]], read: list[Box]) -> list[int | None]:
    """Per box read: the digit drawn under it, NOT_A_DIGIT, or None where that is unclear (a drawn
    digit also covered by a merged neighbour's box)."""
    matches = match([box for _, box in drawn], read)
    merged = {i for m in matches if len(m.covers) >= 2 for i in m.covers}
    owners = [m.owner for m in matches]
    labels: list[int | None] = []
    for m in matches:
        if len(m.covers) >= 2 or m.owner is None or owners.count(m.owner) > 1:
            labels.append(NOT_A_DIGIT)
        elif m.owner in merged:
            labels.append(None)
        else:
            labels.append(int(drawn[m.owner][0]))
    return labels


_cutter: tuple[Split, Reader, int] | None = None  # a worker process's digits, Reader and seed


def _start_cutter(digits: Split, model, seed: int) -> None:
    global _cutter
    _cutter = digits, Reader(model), seed


def _cut_in_worker(i: int) -> tuple[list[np.ndarray], list[int]]:
    digits, reader, seed = _cutter
    return cut_page(digits, reader, seed, i)
