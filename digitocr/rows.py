"""Group ink parts into rows of digits, merge broken strokes, drop marks that are not digits.

Rows are chains of left-to-right neighbours that overlap vertically, so slanted rows and rows of
different sizes fall out naturally. Every size rule is relative to the row's own digit height.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

ROW_OVERLAP = 0.5  # neighbours in a row share at least this much of the smaller one's height
ROW_HEIGHT_RATIO = 2.5  # and are not more different in height than this
ROW_MAX_GAP = 5.0  # the widest gap inside a row, in digit heights (phone numbers have wide gaps)
FRAGMENT = 0.6  # a chain shorter than this share of the row around it is part of that row
BAND_MARGIN = 0.5  # how far (in row heights) above and below its digits a row's band reaches
PARTIAL = 0.75  # a part shorter than this share of the row height may be a broken-off stroke
MERGE_OVERLAP = 0.4  # pieces whose x ranges overlap by this share of the narrower one merge
MERGE_MAX_WIDTH = 1.6  # ... unless the merged piece would be wider than this many row heights
MERGE_MAX_HEIGHT = 1.6  # ... or taller
MERGE_MAX_GAP = 0.3  # ... or if a vertical gap of more than this many row heights separates them
MARK = 0.45  # what stays shorter than this share of the row height is a dot, comma or dash ...
# ... unless it lies within LOOSE_GAP (× row height) beside a digit, above the digit's middle and at
# most LOOSE_ABOVE above the top of a full-height digit in its place: then it may have broken off it.
LOOSE_GAP, LOOSE_ABOVE = 0.3, 0.3
# A straight bar thinner than THIN of the row's pen and paler than PALE of its writing is residue
# of an erased rule (measured on generated pages: residue 0.57 at most, thin 1s 0.73 and up).
THIN, PALE = 0.6, 0.65
LONE = 0.6  # a row of one part needs this share of the page's digit height
SMALL_ROW = 0.25  # rows shorter than this share of the page's tallest row are clutter
SLOPE_PARTS = 3  # a chain needs this many parts to tell the slope of its line
MAX_SLOPE = 0.4  # rows of a photographed page slope by at most about 22 degrees


@dataclass(frozen=True)
class Part:
    """A candidate digit: the box (end-exclusive) around one or more connected components."""
    x0: int
    y0: int
    x1: int
    y1: int
    ids: tuple[int, ...]  # component labels whose ink belongs to this part
    stroke: float = 0.0  # mean stroke width in pixels
    straight: bool = False  # a single straight bar: a "1", or what is left of an erased rule
    ink: float = 0.0  # mean ink strength (contrast with the paper) of its pixels
    loose: Part | None = None  # a short stroke beside it that may have broken off it (see drop_marks)

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def merged(self, other: Part) -> Part:
        return Part(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1),
                    max(self.y1, other.y1), self.ids + other.ids,
                    max(self.stroke, other.stroke), False, max(self.ink, other.ink))


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def row_height(row: list[Part]) -> float:
    """The height of the row's digits: the median of its parts that are not small fragments.

    Fragments are judged against the upper quartile, not the maximum, so one tall piece of
    clutter cannot make every digit of the row look like a fragment.
    """
    heights = np.array([p.h for p in row])
    return float(np.median(heights[heights >= 0.5 * np.percentile(heights, 75, method="higher")]))


def group_rows(parts: list[Part], height: float, pen: float) -> list[list[Part]]:
    """Rows top to bottom, each with its digits left to right, fragments merged, marks dropped.

    ``height``, ``pen``: the page's typical digit height and stroke width.
    """
    rows = absorb_fragments(join_chains(chains(parts)))
    rows = [drop_residue(drop_marks(merge_fragments(row)), pen) for row in rows]
    # A lone mark far from any row is a speck unless it is as big as the page's digits.
    rows = [row for row in rows if len(row) > 1 or (row and row[0].h >= LONE * height)]
    if not rows:
        return []
    tallest = max(row_height(row) for row in rows)
    rows = [row for row in rows if row_height(row) >= SMALL_ROW * tallest]
    return sorted(rows, key=lambda row: float(np.mean([p.cy for p in row])))


def chains(parts: list[Part]) -> list[list[Part]]:
    """Link every part to its nearest right neighbour on the same line; chains of links are rows."""
    if not parts:
        return []
    x0, y0, x1, y1 = (np.array([getattr(p, k) for p in parts], np.float64) for k in ("x0", "y0", "x1", "y1"))
    heights = y1 - y0
    centres = (x0 + x1) / 2
    links = []  # (cost, left, right) for every pair that could be neighbours in a row
    for i, part in enumerate(parts):
        shared = np.clip(np.minimum(y1, part.y1) - np.maximum(y0, part.y0), 0, None)
        smaller = np.minimum(heights, part.h)
        ratio = np.maximum(heights, part.h) / np.maximum(smaller, 1)
        gap = x0 - part.x1
        ok = ((centres > part.cx) & (shared >= ROW_OVERLAP * smaller) & (ratio <= ROW_HEIGHT_RATIO)
              & (gap <= ROW_MAX_GAP * np.maximum(heights, part.h)))
        cost = np.maximum(gap, 0) + np.abs((y0 + y1) / 2 - part.cy)
        links.extend((float(cost[j]), i, int(j)) for j in np.flatnonzero(ok))
    # Cheapest links first; each part gets at most one neighbour on either side.
    right: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(links):
        if i not in right and j not in taken:
            right[i] = j
            taken.add(j)
    starts = set(range(len(parts))) - set(right.values())
    result = []
    for start in sorted(starts, key=lambda i: parts[i].x0):
        chain, i = [parts[start]], start
        while i in right:
            i = right[i]
            chain.append(parts[i])
        result.append(chain)
    return result


@dataclass(frozen=True)
class Ends:
    """Where a chain starts and ends, for deciding whether one chain continues another."""
    first: Part  # leftmost-starting part
    last: Part  # rightmost-ending part
    start: tuple[float, float]  # middle of the line at the start: median centre of the first three parts
    end: tuple[float, float]  # ... and at the end
    height: float
    slope: float | None  # of the line through the parts' centres; None when too few parts tell it

    @classmethod
    def of(cls, chain: list[Part]) -> Ends:
        by_start, by_end = sorted(chain, key=lambda p: p.x0), sorted(chain, key=lambda p: p.x1)
        return cls(by_start[0], by_end[-1], middle(by_start[:3]), middle(by_end[-3:]), row_height(chain),
                   line_slope(chain))

    def continued_by(self, other: Ends) -> bool:
        """Whether ``other`` picks up, on the same line, where this chain ends."""
        height = max(self.height, other.height)
        # A sloping row climbs across the gap: follow the slope of the chain before it, else after it.
        slope = next((s for s in (self.slope, other.slope) if s is not None), 0.0)
        expected_y = self.end[1] + slope * (other.start[0] - self.end[0])
        # The two may overlap where they meet: the pieces of a digit that fell apart.
        return (height <= ROW_HEIGHT_RATIO * min(self.height, other.height)
                and other.first.x0 >= self.first.x0 and other.last.x1 > self.last.x1
                and other.first.x0 - self.last.x1 <= ROW_MAX_GAP * height
                and abs(expected_y - other.start[1]) <= (1 - ROW_OVERLAP) * height)


def middle(parts: list[Part]) -> tuple[float, float]:
    return float(np.median([p.cx for p in parts])), float(np.median([p.cy for p in parts]))


def line_slope(chain: list[Part]) -> float | None:
    """Median slope between the centres of the chain's parts (robust to a digit sitting high or
    low); None for chains shorter than SLOPE_PARTS."""
    if len(chain) < SLOPE_PARTS:
        return None
    cx, cy = np.array([p.cx for p in chain]), np.array([p.cy for p in chain])
    i, j = np.triu_indices(len(chain), 1)
    apart = np.abs(cx[j] - cx[i]) > 0
    if not apart.any():
        return None
    slope = float(np.median((cy[j] - cy[i])[apart] / (cx[j] - cx[i])[apart]))
    return float(np.clip(slope, -MAX_SLOPE, MAX_SLOPE))


def join_chains(rows: list[list[Part]]) -> list[list[Part]]:
    """Join a chain to the one it continues: a row broken where a digit fell apart into pieces."""
    rows = sorted(rows, key=lambda row: min(p.x0 for p in row))
    ends = [Ends.of(row) for row in rows]
    alive = [True] * len(rows)
    for i in range(len(rows)):
        while alive[i]:
            nexts = [j for j in range(len(rows)) if j != i and alive[j] and ends[i].continued_by(ends[j])]
            if not nexts:
                break
            j = min(nexts, key=lambda j: ends[j].first.x0)
            rows[i] = sorted(rows[i] + rows[j], key=lambda p: p.cx)
            ends[i], alive[j] = Ends.of(rows[i]), False
    return [row for row, keep in zip(rows, alive) if keep]


def absorb_fragments(rows: list[list[Part]]) -> list[list[Part]]:
    """Move chains that are much shorter than a row and lie inside its band into that row."""
    rows = sorted(rows, key=row_height)
    heights = [row_height(row) for row in rows]
    kept: list[list[Part]] = []
    for i, row in enumerate(rows):
        hosts = [other for other, height in zip(rows[i + 1:], heights[i + 1:])
                 if heights[i] < FRAGMENT * height and all(in_band(p, other, height) for p in row)]
        if hosts:
            middle = np.mean([p.cy for p in row])
            host = min(hosts, key=lambda other: abs(np.mean([p.cy for p in other]) - middle))
            host.extend(row)
        else:
            kept.append(row)
    return kept


def in_band(part: Part, row: list[Part], height: float) -> bool:
    """Whether the part lies within the vertical band of the row's (of digit ``height``) nearest
    full-height digit."""
    nearest = min((p for p in row if p.h >= PARTIAL * height), key=lambda p: abs(p.cx - part.cx))
    margin = BAND_MARGIN * height
    near = abs(nearest.cx - part.cx) <= ROW_MAX_GAP * height
    return near and nearest.y0 - margin <= part.cy <= nearest.y1 + margin


def merge_fragments(row: list[Part]) -> list[Part]:
    """Join broken strokes: a short part merges with the part it overlaps most horizontally."""
    row = list(row)
    height = row_height(row)
    while True:
        best = None
        for a in sorted(row, key=lambda p: p.w * p.h):
            if a.h >= PARTIAL * height:
                continue
            for b in row:
                if b is a:
                    continue
                share = overlap(a.x0, a.x1, b.x0, b.x1) / max(1, min(a.w, b.w))
                both = a.merged(b)
                gap = both.h - a.h - b.h
                if (share >= MERGE_OVERLAP and both.w <= MERGE_MAX_WIDTH * height and both.h <= MERGE_MAX_HEIGHT * height
                        and gap <= MERGE_MAX_GAP * height and (best is None or share > best[0])):
                    best = (share, a, b)
            if best:
                break
        if best is None:
            return sorted(row, key=lambda p: p.cx)
        _, a, b = best
        row = [p for p in row if p is not a and p is not b] + [a.merged(b)]


def drop_residue(row: list[Part], pen: float) -> list[Part]:
    """Remove straight bars much thinner than the row's pen and fainter than its writing; a row made
    of thin bars is all residue.

    Writing in one row shares one pen, so a "1" is about as thick and as dark as its neighbours;
    rule residue is printed thinner and paler. Thickness alone is not enough: a 1 drawn in one quick
    stroke is often much thinner than the loops and junctions of its neighbours.
    """
    if not row:
        return row
    row_pen = float(np.median([p.stroke for p in row]))
    if row_pen < THIN * pen and all(p.straight for p in row):
        return []
    thin = [p.straight and p.stroke < THIN * row_pen for p in row]
    writing = [p.ink for p, bar in zip(row, thin) if not bar]
    row_ink = float(np.median(writing)) if writing else 0.0
    return [p for p, bar in zip(row, thin) if not (bar and p.ink < PALE * row_ink)]


def drop_marks(row: list[Part]) -> list[Part]:
    """Remove dots, commas, dashes and specks: anything far shorter than the row's digits.

    A short stroke right beside the top half of a digit may have broken off it instead: a 5's flag
    or a 7's bar after a pen skip, which no overlap joins. It stays with that digit as its loose
    stroke, and the classifier tells whether the digit reads better with it (split.row_hypotheses).
    Separators sit lower: dots and commas on the line, dashes across the middle.
    """
    if not row:
        return row
    height = row_height(row)
    digits = [p for p in row if p.h >= MARK * height]
    for mark in (p for p in row if p.h < MARK * height):
        owner = min(digits, key=lambda digit: gap(mark, digit), default=None)
        if owner is not None and owner.loose is None and beside_top(mark, owner, height):
            digits[digits.index(owner)] = replace(owner, loose=mark)
    return digits


def gap(a: Part, b: Part) -> int:
    """The horizontal gap between two parts (negative when they overlap)."""
    return max(a.x0 - b.x1, b.x0 - a.x1)


def beside_top(mark: Part, digit: Part, height: float) -> bool:
    """Whether the mark lies within LOOSE_GAP of the digit and above its middle, but not above the
    top of a digit of the row's height standing where it stands."""
    return (gap(mark, digit) <= LOOSE_GAP * height and mark.cy < digit.cy
            and mark.y0 >= digit.y1 - (1 + LOOSE_ABOVE) * height)
