"""Clutter: parts of a page's ink that are not digits, whatever their size.

What line erasing leaves of rules and grids, the walls of printed boxes, blots and stains, long
thin lines at any angle, the stubs of rules at the sheet's edge, paper edges, the desk, and the
soft edges of shadows.
"""
from __future__ import annotations

import cv2
import numpy as np

from .rows import Part

BLOT = 0.3  # a part whose strokes are this wide for its size is a solid blot (a stain, the desk), not writing
LONG = 2.5  # a part longer than this many digit heights ...
LINE_THICKNESS = 0.15  # ... and thinner than this share of the digit height is a line
RESIDUE = 0.5  # a component with this share of its ink beside erased line pixels is left of the line
RESIDUE_REACH = 2  # pixels: "beside" a line, the blurred rim of a rule not erased with it
# The walls between the printed cells of a form's digit field stay behind when the field's top
# and bottom edges are erased as rules, and read as ones. A wall is an upright straight bar at
# least WALL_FROM digit heights tall (straight, or TOOTH times as tall as wide: a comb's short teeth,
# blurred, are too thick for a straight bar) whose ends meet erased rules within WALL_REACH pixels: both
# ends (closed boxes), or one end, at the same rule as at least COMB - 1 other such bars of about
# the same length, within WALL_SPREAD of their median (a comb, its cells open at the top). Bars of
# a digit's length (ONE_LENGTH) on one rule are ones written on it, unless they are as regular as
# print: one length and one spacing, each within PRINTED_SPREAD of the median, a digit between each two.
WALL_FROM, WALL_REACH, COMB, WALL_SPREAD, ONE_LENGTH, PRINTED_SPREAD = 0.25, 3, 3, 0.25, (0.75, 1.2), 0.1
TOOTH = 2.5
# A field's first and last walls are found up to OUTER_WIDTH spacings wide: a stub of the erased
# edge often stays at the corner, an L rather than a bar, reaching at most to the next tooth.
OUTER_WIDTH = 1.0
HUGE = 3.5  # no digit is this many typical digit heights tall
BORDER_HUGE = 2.0  # a part this big reaching the photo's or the sheet's edge is that edge or the desk
EDGE_REACH = 0.15  # digit heights: the sheet's outline is found on a small copy, a few pixels off
# Writing is dark on bright paper all around it (or bright on a dark board). Where the page meets
# the desk, a shadow or a paper edge, the threshold picks up the dark side of a soft step instead:
# its "ink" hardly differs from the pixels beside it. A part standing out from its surroundings by
# less than this share of what the page's clearest writing does is such an edge, whatever its shape.
FAINT = 0.25
CLEAREST = 90  # percentile of the digit-sized parts' contrasts taken as the page's clear writing


def line_residue(erased: np.ndarray, ink: np.ndarray, labels: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Per label, whether the component is what the line erasing left of a line: the crossings of
    a grid, slivers along a rule. Most of such ink lies right beside erased line pixels, while a
    digit only meets a line where its strokes cross it."""
    beside = cv2.dilate(erased, np.ones((2 * RESIDUE_REACH + 1,) * 2, np.uint8)) & ink
    share = np.bincount(labels[beside > 0], minlength=len(areas)) / np.maximum(areas, 1)
    return share >= RESIDUE


def box_walls(parts: list[Part], erased: np.ndarray, height: float) -> set[Part]:
    """The parts that are walls of printed boxes (see WALL_FROM)."""
    bars = [p for p in parts if (p.straight or p.h >= TOOTH * p.w) and p.h >= WALL_FROM * height and p.h >= 2 * p.w]
    # Most pages have no such bar on a rule: the rules are told apart only when one is.
    if not any(end_window(erased, bar, y).any() for bar in bars for y in (bar.y0, bar.y1)):
        return set()
    _, rules = cv2.connectedComponents(erased, connectivity=8)
    walls, combs = set(), {}
    for bar in bars:
        top, bottom = (rule_at(rules, bar, y) for y in (bar.y0, bar.y1))
        if top and bottom:
            walls.add(bar)
        for end, rule in (("top", top), ("bottom", bottom)):
            if rule:
                combs.setdefault((end, rule), []).append(bar)
    for (end, rule), members in combs.items():
        usual = np.median([bar.h for bar in members])
        alike = [bar for bar in members if abs(bar.h - usual) <= WALL_SPREAD * usual]
        if len(alike) >= COMB and (not ONE_LENGTH[0] * height <= usual <= ONE_LENGTH[1] * height
                                   or printed_teeth(alike, parts)):
            walls.update(alike)
            walls.update(outer_walls(alike, parts, rules, rule, end == "bottom"))
    return walls


def outer_walls(teeth: list[Part], parts: list[Part], rules: np.ndarray, rule: int, below: bool) -> list[Part]:
    """The field's first and last walls, one spacing beyond its outermost teeth: where they meet the
    erased edge, a stub of it often stays at the corner, an L rather than a bar."""
    teeth = sorted(teeth, key=lambda bar: bar.x0)
    spacing = float(np.median(np.diff([bar.x0 for bar in teeth])))
    longest = max(bar.h for bar in teeth)
    left, right = teeth[0].x0 - spacing, teeth[-1].x1 + spacing

    def outer(p: Part) -> bool:
        return (p.w <= OUTER_WIDTH * spacing and p.h <= (1 + WALL_SPREAD) * longest
                and min(abs(p.x0 - left), abs(p.x1 - right)) <= PRINTED_SPREAD * spacing
                and rule_at(rules, p, p.y1 if below else p.y0) == rule)
    return [p for p in parts if p not in teeth and outer(p)]


def printed_teeth(bars: list[Part], parts: list[Part]) -> bool:
    """Whether bars standing on one rule are as regular as a printed comb's teeth: all of one
    length and evenly spaced (handwritten ones are neither), with a digit written between each two."""
    bars = sorted(bars, key=lambda bar: bar.x0)
    lengths = np.array([bar.h for bar in bars])
    gaps = np.diff([(bar.x0 + bar.x1) / 2 for bar in bars])
    if np.ptp(lengths) > PRINTED_SPREAD * np.median(lengths) or np.ptp(gaps) > PRINTED_SPREAD * np.median(gaps):
        return False
    digits = [(p.x0 + p.x1) / 2 for p in parts if p not in bars]
    return all(any(left.x1 <= x < right.x0 for x in digits) for left, right in zip(bars, bars[1:]))


def rule_at(rules: np.ndarray, bar: Part, y: int) -> int:
    """The label of the erased rule meeting the bar's end at row ``y`` (0 if none does)."""
    window = end_window(rules, bar, y)
    found = window[window > 0]
    return int(np.bincount(found).argmax()) if found.size else 0


def end_window(image: np.ndarray, bar: Part, y: int) -> np.ndarray:
    """The pixels of ``image`` within WALL_REACH of the bar's end at row ``y``."""
    return image[max(0, y - WALL_REACH):y + WALL_REACH, bar.x0:bar.x1]


def is_clutter(part: Part, labels: np.ndarray, sheet: np.ndarray | None, height: float) -> bool:
    """Blots, long thin lines at any angle, rule ends, paper edges and the desk."""
    if part.h > HUGE * height:
        return True
    # A rule is erased where it runs along the page, not in its last stretch before the sheet's
    # edge (too short a run there): what is left is a straight stub reaching that edge.
    if reaches_edge(part, labels.shape, sheet, height) and (part.straight or max(part.w, part.h) > BORDER_HUGE * height):
        return True
    if max(part.w, part.h) >= 0.5 * height and part.stroke > BLOT * max(part.w, part.h):
        return True
    if max(part.w, part.h) > LONG * height:
        short, _ = rotated_sides(labels, part)
        return short < LINE_THICKNESS * height
    return False


def drop_soft_edges(parts: list[Part], gray: np.ndarray, labels: np.ndarray, height: float) -> list[Part]:
    """The parts without those whose ink barely stands out from its surroundings (see FAINT)."""
    if not parts:
        return parts
    contrasts = np.array([contrast(gray, labels, part, height) for part in parts])
    digit_sized = np.array([part.h >= 0.5 * height for part in parts])
    clear = float(np.percentile(contrasts[digit_sized] if digit_sized.any() else contrasts, CLEAREST))
    return [part for part, c in zip(parts, contrasts) if c >= FAINT * clear]


def contrast(gray: np.ndarray, labels: np.ndarray, part: Part, height: float) -> float:
    """How much the part's ink differs from the inkless pixels just around it, as a share of the
    brighter of the two (so light and polarity do not matter); 1 when there is nothing around it."""
    reach = max(3, int(0.2 * height)) | 1
    y0, x0 = max(0, part.y0 - reach), max(0, part.x0 - reach)
    window = labels[y0:part.y1 + reach, x0:part.x1 + reach]
    ink = np.isin(window, part.ids).astype(np.uint8)
    # The pixel next to a stroke is blurred into it; the ring starts one pixel out.
    ring = (cv2.dilate(ink, np.ones((reach, reach), np.uint8)) > cv2.dilate(ink, np.ones((3, 3), np.uint8))) & (window == 0)
    if ring.sum() < reach:
        return 1.0
    pixels = gray[y0:part.y1 + reach, x0:part.x1 + reach].astype(np.float32)
    inside, around = float(np.median(pixels[ink > 0])), float(np.median(pixels[ring]))
    return abs(inside - around) / max(inside, around, 1.0)


def reaches_edge(part: Part, shape: tuple[int, int], sheet: np.ndarray | None, height: float) -> bool:
    """Whether the part touches the photo's edge or comes within EDGE_REACH of the sheet's."""
    if on_edge(part, shape):
        return True
    if sheet is None:
        return False
    reach = int(EDGE_REACH * height) + 1
    return not sheet[max(0, part.y0 - reach):part.y1 + reach, max(0, part.x0 - reach):part.x1 + reach].all()


def on_edge(part: Part, shape: tuple[int, int]) -> bool:
    rows, cols = shape
    return part.x0 == 0 or part.y0 == 0 or part.x1 == cols or part.y1 == rows


def rotated_sides(labels: np.ndarray, part: Part) -> tuple[float, float]:
    """Short and long side of the smallest rotated rectangle around a one-component part."""
    ys, xs = np.nonzero(labels[part.y0:part.y1, part.x0:part.x1] == part.ids[0])
    (_, _), sides, _ = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
    return min(sides), max(sides)
