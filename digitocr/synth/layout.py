"""Where the writing goes on the sheet: rows of digits, their labels and boxes, and the ruling.

The result is an ink mask of the whole sheet (before any paper, light or camera effect).
Rows are kept apart by at least most of a digit height, so every row's label is unambiguous.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..mnist import Split
from .knobs import Knobs
from .strokes import SEPARATORS, digit_ink, separator_ink, skip_pen

MIN_SIDE, MAX_SIDE = 640, 1400  # px: sheet sizes of a phone photo scaled down for reading
SIZE_JITTER = 0.08  # handwritten digits of one row differ this much in height


@dataclass
class Mark:
    ink: np.ndarray
    x: int  # left edge, from the row's start
    drop: float  # bottom edge below the row's baseline
    label: str  # the digit, or "" for a separator
    source: int | None = None  # the digit's index in the MNIST split it was drawn from


@dataclass
class Ruling:
    pitch: float  # px between printed lines
    offset: float  # y of one horizontal line
    squared: bool  # vertical lines too


@dataclass
class Writing:
    ink: np.ndarray  # H×W float32, 0..1
    rows: list[str]  # labels top to bottom; a space marks a wide gap between groups
    boxes: list[list[tuple[int, int, int, int]]]  # per row, per digit: x0, y0, x1, y1
    sources: list[list[int]]  # per row, per digit: its index in the MNIST split
    ruling: Ruling | None
    left: int  # x where the writing starts


def plan_row(digits: Split, height: int, pen_width: float, knobs: Knobs, rng: np.random.Generator) -> tuple[list[Mark], str]:
    """The marks of one row (digits and separators) left to right, and the row's label."""
    long_row = rng.random() < knobs.long_row_chance
    count = int(rng.integers(12, 21) if long_row else rng.integers(knobs.digits_per_row[0], knobs.digits_per_row[1] + 1))
    boundaries = _group_boundaries(count, rng) if rng.random() < knobs.group_chance else set()
    separator = rng.choice(list(SEPARATORS)) if boundaries and rng.random() < knobs.separator_chance else None
    stroke = height * 0.1 * (1 + pen_width / 2.5)  # MNIST strokes are about a tenth of the digit height
    marks, label, x = [], "", 0.0
    for i in range(count):
        if i in boundaries:
            if separator:
                x += _gap(height, knobs, rng, touching=False)
                sep = separator_ink(separator, height, stroke)
                marks.append(Mark(sep, round(x), 0.0, ""))
                x += sep.shape[1] + _gap(height, knobs, rng, touching=False)
            else:
                x += height * rng.uniform(1.0, 1.8)  # a blank as wide as a digit or more: a space
                label += " "
        elif marks:
            x += _gap(height, knobs, rng, touching=rng.random() < knobs.touching_chance, previous=marks[-1].ink)
        index = int(rng.integers(len(digits.labels)))
        size = round(height * rng.uniform(1 - SIZE_JITTER, 1 + SIZE_JITTER))
        ink = digit_ink(digits.images[index], size, pen_width)
        if rng.random() < knobs.broken_chance:
            ink = skip_pen(ink, gap=height * rng.uniform(0.05, 0.1), rng=rng)
        drop = rng.normal(0, knobs.baseline_jitter) * height
        marks.append(Mark(ink, round(x), drop, str(digits.labels[index]), index))
        label += str(digits.labels[index])
        x += ink.shape[1]
    return marks, label


def _width(marks: list[Mark]) -> int:
    return max(m.x + m.ink.shape[1] for m in marks)


def _group_boundaries(count: int, rng: np.random.Generator) -> set[int]:
    """Indices of digits that start a new group; every group keeps at least two digits."""
    if count < 4:
        return set()
    groups = int(rng.integers(2, min(4, count // 2) + 1))
    starts = rng.choice(np.arange(2, count - 1), size=groups - 1, replace=False)
    starts = sorted(int(s) for s in starts)
    kept, last = set(), 0
    for s in starts:
        if s - last >= 2:
            kept.add(s)
            last = s
    return kept


def _gap(height: int, knobs: Knobs, rng: np.random.Generator, touching: bool, previous: np.ndarray | None = None) -> float:
    if touching and previous is not None:
        return -rng.uniform(*knobs.overlap) * min(previous.shape[1], height * 0.6)
    return rng.uniform(*knobs.spacing) * height


def lay_out(digits: Split, knobs: Knobs, paper: str, rng: np.random.Generator) -> Writing:
    """Rows of digits on a sheet; ``paper`` is ``plain``, ``ruled``, ``squared`` or ``board``."""
    n_rows = int(rng.integers(knobs.rows[0], knobs.rows[1] + 1))
    pen_width = rng.uniform(*knobs.pen_width) + (0.8 if paper == "board" else 0.0)  # chalk is broad
    ruling = None
    if paper in ("ruled", "squared"):
        ruling = Ruling(pitch=rng.uniform(*knobs.digit_height_px) * (1.25 if paper == "ruled" else 0.9), offset=0.0,
                        squared=paper == "squared")
    rows = []
    for _ in range(n_rows):
        if ruling is None:
            height = round(rng.uniform(*knobs.digit_height_px))
        elif ruling.squared:
            height = round(ruling.pitch * rng.uniform(0.8, 1.7))
        else:
            height = round(ruling.pitch * rng.uniform(0.55, 0.85))
        slope = 0.0 if ruling else math.tan(math.radians(rng.uniform(-knobs.slope_deg, knobs.slope_deg)))
        marks, label = plan_row(digits, height, pen_width, knobs, rng)
        while _width(marks) > 0.8 * MAX_SIDE:  # a long row is written smaller
            height = round(height * 0.8)
            marks, label = plan_row(digits, height, pen_width, knobs, rng)
        rows.append((marks, label, height, slope))

    # Baselines top to bottom, with blank space of at least 0.6 digit heights between rows.
    baselines, cursor = [], 0.0
    for marks, _, height, slope in rows:
        width = _width(marks)
        rise = max(0.0, -slope * width)  # a rising row's right end is higher than its start
        baseline = cursor + height * (1 + SIZE_JITTER) + rise
        if ruling:
            baseline = math.ceil(baseline / ruling.pitch) * ruling.pitch
        baselines.append(baseline)
        cursor = baseline + max(0.0, slope * width) + height * rng.uniform(0.6, 1.4)
    content_w = max(_width(marks) for marks, *_ in rows)
    content_h = cursor

    sheet_w = round(min(max(MIN_SIDE, content_w / rng.uniform(0.35, 0.8)), max(content_w / 0.85, MAX_SIDE)))
    sheet_h = round(max(MIN_SIDE * 0.75, content_h / 0.75, min(MAX_SIDE, sheet_w * rng.choice([0.75, 1.0, 1.33]))))
    left = round(rng.uniform(0.1, 0.9) * (sheet_w - content_w))
    top = round(rng.uniform(0.1, 0.9) * (sheet_h - content_h))
    if ruling:
        ruling.offset = top  # the printed lines run under the rows' baselines

    ink = np.zeros((sheet_h, sheet_w), np.float32)
    labels, boxes = [], []
    for (marks, label, height, slope), baseline in zip(rows, baselines):
        indent = round(rng.uniform(0, 0.25) * (content_w - _width(marks)))
        row_boxes = []
        for m in marks:
            x0 = left + indent + m.x
            bottom = top + baseline + m.drop + slope * (m.x + m.ink.shape[1] / 2)
            if ruling:  # most people write just above the printed line, some sit on it
                bottom -= height * rng.uniform(-0.02, 0.1)
            y0 = round(bottom) - m.ink.shape[0]
            h, w = m.ink.shape
            region = ink[y0:y0 + h, x0:x0 + w]
            np.maximum(region, m.ink, out=region)  # touching digits share ink, they do not cover it
            if m.label:
                row_boxes.append((x0, y0, x0 + w, y0 + h))
        labels.append(label)
        boxes.append(row_boxes)
    sources = [[m.source for m in marks if m.label] for marks, *_ in rows]
    return Writing(ink, labels, boxes, sources, ruling, left)
