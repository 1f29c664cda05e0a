"""Segmentation: a photo → rows of candidate digits (boxes and their own ink masks).

    sheet found (sheet) → ink masks and the digits' height (heights: grains of chalk joined, the
    background window widened for a close-up) → rules erased (lines) → components → walls of a form's cells found (clutter), and erased where
    digits touch them → clutter dropped (clutter: rule residue, blots, lines, paper edges, desk;
    specks) → rows, broken strokes merged, marks and rule residue dropped, short strokes kept
    beside a digit's top as maybe its own (rows) → rows cut by the photo's edge dropped
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from .binarize import hysteresis, stroke_widths, to_gray
from .clutter import box_walls, drop_soft_edges, is_clutter, line_residue, on_edge, rotated_sides
from .heights import measure, weighted_median
from .lines import LINE_LENGTH_H, LINE_LENGTH_V, erase_lines, erase_upright
from .results import Box
from .rows import Part, group_rows
from .sheet import find_sheet

# Upright runs as long as the walls of a form's cells found standing alone (at least WALLS_SEEN of
# them), and this densely inked, are such walls too, when they are WALL_OVER times as long as the
# digits (the other parts: on a form, the typical height may be the walls').
WALL_RUN, WALL_DENSITY, WALL_OVER, WALLS_SEEN = 1.0, 0.7, 1.2, 2
SPECK = 0.25  # components smaller than this share of the digit height in both directions are noise
STRAIGHT = 4.0  # a part is a straight bar when its smallest rotated box is this elongated
BRIDGE = 0.2  # a stroke interrupted by a rule thinner than this share of the digit height is rejoined
BOLD = 0.125  # ink along a line thicker than this share of the digit height may be writing (lines.writing_along)
CORE, CORE_OF = 0.4, 90  # the crop keeps ink of at least CORE × its blob's CORE_OF-percentile strength
CORE_KEEP = 0.5  # ... when that keeps at least this share of its ink



@dataclass
class Blob:
    """One candidate digit."""
    box: Box  # in the coordinates of the input image
    mask: np.ndarray  # uint8 (box.h, box.w): 255 = ink of this blob only, neighbours' ink removed
    loose: Blob | None = None  # a short stroke beside it that may have broken off it (rows.drop_marks)


def segment(image: np.ndarray) -> list[list[Blob]]:
    """Rows top to bottom, each row's blobs left to right. Blank page → []."""
    gray = to_gray(image)
    sheet = find_sheet(gray)
    strength, strong, weak, tilts, height, close_up = measure(gray, sheet)
    if height == 0:
        return []
    bridge = max(3, int(BRIDGE * height))
    kept = erase_lines(weak, tilts, int(LINE_LENGTH_H * height), int(LINE_LENGTH_V * height), bridge,
                       int(BOLD * height), close_up)
    parts, labels, pen = parts_without_walls(strong, weak, kept, strength, height, bridge)
    parts = [p for p in parts if not is_clutter(p, labels, sheet, height)]
    parts = drop_soft_edges(parts, gray, labels, height)
    rows = group_rows(parts, height, pen)
    # Beside rows wholly in the photo, rows cut by its edge belong to something else.
    rows = [row for row in rows if not cut_off(row, labels.shape)] or rows
    return [[to_blob(p, labels, strength) for p in row] for row in rows]


def parts_without_walls(strong: np.ndarray, weak: np.ndarray, kept: np.ndarray, strength: np.ndarray,
                        height: float, bridge: int) -> tuple[list[Part], np.ndarray, float]:
    """``find_parts`` of the ink ``kept`` from ``weak`` once rules are erased, less the walls of a
    form's cells; the component labels and the page's pen width."""
    erased = weak - kept
    parts, labels, pen = find_parts(strong, erased, kept, strength, height)
    walls = box_walls(parts, erased, height)
    length = int(WALL_RUN * np.median([wall.h for wall in walls])) if len(walls) >= WALLS_SEEN else 0
    if length and length >= WALL_OVER * np.median([p.h for p in parts if p not in walls] or [length]):
        # A digit written against a printed cell's wall is one component with it, and the wall
        # reads as a 1 or joins two digits. The walls found standing alone tell how long and how
        # tilted the field's walls are: every upright run that long is erased like a rule (strokes
        # crossing it bridged), and the ink is cut into parts again. (Not the teeth of a comb
        # shorter than the digits: a 1 would go with them.)
        kept = erase_upright(kept, wall_tilt(walls, labels), length, bridge, WALL_DENSITY)
        erased = weak - kept
        parts, labels, pen = find_parts(strong, erased, kept, strength, height)
        walls = box_walls(parts, erased, height)
    return [p for p in parts if p not in walls], labels, pen


def find_parts(strong: np.ndarray, erased: np.ndarray, kept: np.ndarray, strength: np.ndarray,
               height: float) -> tuple[list[Part], np.ndarray, float]:
    """The components of the ink ``kept`` as parts (but not specks, nor the residue of the lines
    ``erased``), the component labels, and the page's pen width."""
    ink = hysteresis(strong, kept)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    strokes = stroke_widths(ink, labels, stats[:, 4])
    pen = weighted_median(strokes[1:], stats[1:, 4] * (stats[1:, 3] >= 0.5 * height))
    residue = line_residue(erased, ink, labels, stats[:, 4])
    inked = ink > 0  # (summed over the ink alone: the whole photo takes eight times as long)
    ink_sum = np.bincount(labels[inked], weights=strength[inked], minlength=count)  # per component
    parts = [Part(x, y, x + w, y + h, (i,), strokes[i], ink=ink_sum[i] / area)
             for i, (x, y, w, h, area) in enumerate(stats) if i > 0 and not residue[i] and max(w, h) >= SPECK * height]
    return [replace(p, straight=is_straight(labels, p)) for p in parts], labels, pen


def wall_tilt(walls: set[Part], labels: np.ndarray) -> float:
    """Degrees from vertical of the walls (the median of their ink's fitted lines)."""
    slopes = []
    for wall in walls:
        ys, xs = np.nonzero(labels[wall.y0:wall.y1, wall.x0:wall.x1] == wall.ids[0])
        slopes.append(np.polyfit(ys, xs, 1)[0])
    return float(np.degrees(np.arctan(np.median(slopes))))


def cut_off(row: list[Part], shape: tuple[int, int]) -> bool:
    """Whether the row is the edge of something outside the photo: a lone part cut by any edge (the
    corner of a form or of the next sheet), or parts all cut by the top or all by the bottom (the
    feet of the row above or the heads of the row below, in a close-up of one number)."""
    rows, _ = shape
    return ((len(row) == 1 and on_edge(row[0], shape)) or all(p.y0 == 0 for p in row)
            or all(p.y1 == rows for p in row))


def is_straight(labels: np.ndarray, part: Part) -> bool:
    short, long = rotated_sides(labels, part)
    return long >= STRAIGHT * max(short, 1)


def to_blob(part: Part, labels: np.ndarray, strength: np.ndarray) -> Blob:
    """The part's box and the mask of its ink that stands out as clearly as its own strokes do.

    The weak threshold that keeps faint strokes whole also takes in the smear that blur leaves
    between strokes a few pixels apart: a 5's open top closes into a 9, touching digits fuse. Those
    pixels are far fainter than the part's strokes, so the crop keeps only ink of at least CORE of
    the part's own strong ink, unless that would lose most of it (a faint stroke attached to a dark one).
    """
    window = labels[part.y0:part.y1, part.x0:part.x1]
    ink = np.isin(window, part.ids)
    inside = strength[part.y0:part.y1, part.x0:part.x1]
    core = ink & (inside >= CORE * np.percentile(inside[ink], CORE_OF))
    if core.sum() >= CORE_KEEP * ink.sum():
        ink = core
    ys, xs = np.nonzero(ink)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    box = Box(int(part.x0 + x0), int(part.y0 + y0), int(x1 - x0), int(y1 - y0))
    loose = to_blob(part.loose, labels, strength) if part.loose else None
    return Blob(box, ink[y0:y1, x0:x1].astype(np.uint8) * 255, loose)
