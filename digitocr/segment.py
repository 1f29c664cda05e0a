"""Segmentation: a photo → rows of candidate digits (boxes and their own ink masks).

    sheet found (sheet) → ink masks (binarize), grains of chalk joined → typical digit height →
    rules erased (lines) → components → walls of a form's cells found (clutter), and erased where
    digits touch them → clutter dropped (clutter: rule residue, blots, lines, paper edges, desk;
    specks) → rows, broken strokes merged, marks and rule residue dropped, short strokes kept
    beside a digit's top as maybe its own (rows) → rows cut by the photo's edge dropped
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from .binarize import BACKGROUND_SIDE, BACKGROUND_WINDOW, hysteresis, ink_strength, stroke_widths, threshold, to_gray
from .clutter import box_walls, drop_soft_edges, is_clutter, line_residue, on_edge, rotated_sides
from .lines import Tilts, erase_lines, erase_upright
from .results import Box
from .rows import Part, group_rows
from .sheet import find_sheet

# Upright runs as long as the walls of a form's cells found standing alone (at least WALLS_SEEN of
# them), and this densely inked, are such walls too, when they are WALL_OVER times as long as the
# digits (the other parts: on a form, the typical height may be the walls').
WALL_RUN, WALL_DENSITY, WALL_OVER, WALLS_SEEN = 1.0, 0.7, 1.2, 2
SPECK = 0.25  # components smaller than this share of the digit height in both directions are noise
LINE_LENGTH_H, LINE_LENGTH_V = 5.0, 5.0  # rules are mostly ink over this many digit heights; rows of digits are not
STRAIGHT = 4.0  # a part is a straight bar when its smallest rotated box is this elongated
BRIDGE = 0.2  # a stroke interrupted by a rule thinner than this share of the digit height is rejoined
RULE_THICKEST = 0.25  # ... and in a close-up, no rule is thicker than this share of it
GRAIN_GAP = 1 / 300  # gaps between grains of chalk are up to this share of the photo's longer side
GRAINY = 2.0  # ... and joining them makes the typical digit this many times taller
CORE, CORE_OF = 0.4, 90  # the crop keeps ink of at least CORE × its blob's CORE_OF-percentile strength
CORE_KEEP = 0.5  # ... when that keeps at least this share of its ink
# A close-up: digits taller than BACKGROUND_WINDOW / CLOSE_UP of the photo's side get a background
# window CLOSE_UP_WINDOW times their height; and when digit-sized votes are CLOSE_UP_INK times
# outweighed by components spanning half the photo, clear of its edges, those are the digits.
CLOSE_UP, CLOSE_UP_WINDOW, CLOSE_UP_INK = 1.5, 2.5, 4
CLOSE_UP_PASSES = 2  # a close-up's window is widened at most this many times
# Strokes were hollowed out by the background window when, against the whole photo's background,
# the digits are HOLLOW_TALLER times as tall, and the ink found holds HOLLOW_OUTLINE of their
# outlines but misses HOLLOW_INSIDE of their insides, which are as dark as the ink found, or
# lighter by at most HOLLOW_ALIKE of the difference between ink and paper (see hollowed_height).
HOLLOW_TALLER, HOLLOW_OUTLINE, HOLLOW_INSIDE, HOLLOW_ALIKE = 1.5, 0.3, 0.3, 0.25
BIG_FILL, BIG_STROKE = 0.1, 1 / 30  # ... digit-like: ink filling this share of the box, strokes this share of the height wide


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
    strength, strong, weak, tilts, height = ink_masks(gray, sheet)
    height = max(height, hollowed_height(gray, sheet, weak, height))
    window = 0.0
    for _ in range(CLOSE_UP_PASSES):
        if height * CLOSE_UP <= max(window, BACKGROUND_WINDOW * max(gray.shape)):
            break
        # A close-up: the background window is hardly wider than the strokes, which it took for
        # background and hollowed out. Their outline still tells their height, or part of it:
        # marker strokes hollowed into slivers look shorter, so the wider window may show taller
        # digits, which need a wider one still.
        window = CLOSE_UP_WINDOW * height
        strength, strong, weak, tilts, height = ink_masks(gray, sheet, window)
    if height == 0:
        return []
    bridge = max(3, int(BRIDGE * height))
    # In a close-up (the window widened), no rule is as thick as a band of bold digits set close.
    thickest = int(RULE_THICKEST * height) if window else None
    kept = erase_lines(weak, tilts, int(LINE_LENGTH_H * height), int(LINE_LENGTH_V * height), bridge, thickest)
    parts, labels, pen = parts_without_walls(strong, weak, kept, strength, height, bridge)
    parts = [p for p in parts if not is_clutter(p, labels, sheet, height)]
    parts = drop_soft_edges(parts, gray, labels, height)
    rows = group_rows(parts, height, pen)
    # Beside rows wholly in the photo, rows cut by its edge belong to something else.
    rows = [row for row in rows if not cut_off(row, labels.shape)] or rows
    return [[to_blob(p, labels, strength) for p in row] for row in rows]


def hollowed_height(gray: np.ndarray, sheet: np.ndarray | None, ink: np.ndarray, height: float) -> float:
    """The digits' height if the background window hollowed out their strokes, else 0.

    Where ink fills most of the background window (a row of bold digits shot from close by, the
    margin around it narrow), the window's median is ink: only the strokes' outlines stand out from
    it, in slivers far shorter than the digits, so the height that widens the window for a close-up
    is never reached. Against the whole photo's background the strokes stand out whole; they were
    hollowed out when ``ink`` holds their outlines but not their insides, and those are as dark as
    the ink. (The whole photo's background also takes a shadow for ink: inside it lies paper.)
    """
    # Measured on every step-th pixel, about as many as the background is estimated on: it is the
    # large strokes that matter.
    step = -(-max(gray.shape) // BACKGROUND_SIDE)
    gray, ink = gray[::step, ::step], ink[::step, ::step]
    sheet = None if sheet is None else sheet[::step, ::step]
    side = max(gray.shape)
    whole = hysteresis(*threshold(*ink_strength(gray, sheet, side)))
    tall = typical_height(whole)
    if tall * step < HOLLOW_TALLER * height or tall * CLOSE_UP <= BACKGROUND_WINDOW * side:
        return 0.0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(whole, connectivity=8)
    digits = np.zeros(count, np.uint8)
    digits[1:] = (stats[1:, 3] >= tall / 2) & (stats[1:, 3] <= 2 * tall)
    strokes = digits[labels]
    outline = strokes > cv2.erode(strokes, np.ones((3, 3), np.uint8))
    inside = cv2.erode(strokes, np.ones((5, 5), np.uint8)) > 0
    near_ink = cv2.dilate(ink, np.ones((5, 5), np.uint8)) > 0
    lost, found = inside & (ink == 0), (strokes > 0) & (ink > 0)
    if ((outline & near_ink).sum() < HOLLOW_OUTLINE * outline.sum() or lost.sum() < HOLLOW_INSIDE * max(inside.sum(), 1)
            or not found.any() or strokes.all()):
        return 0.0
    # What was lost inside is ink too, at least as dark as what was found (which includes the
    # strokes' blurred edges); the paper under a shadow is lighter, nearer the paper around.
    ink_level, lost_level, paper_level = (float(np.median(gray[where])) for where in (found, lost, strokes == 0))
    towards_paper = (lost_level - ink_level) * np.sign(paper_level - ink_level)
    return tall * step if towards_paper <= HOLLOW_ALIKE * abs(paper_level - ink_level) else 0.0


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
    ink_sum = np.bincount(labels.ravel(), weights=strength.ravel(), minlength=count)  # per component
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


def ink_masks(gray: np.ndarray, sheet: np.ndarray | None,
              least_window: float = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, Tilts, float]:
    """Ink strength, strong and weak ink masks, the tilts of long lines and the rough digit height."""
    strength, floor = ink_strength(gray, sheet, least_window)
    strong, weak, clear = join_grains(*threshold(strength, floor))
    # Rules are erased from the weak mask, before hysteresis: faint rules touching digits would
    # otherwise survive as short stubs grown from the digits' strong ink.
    tilts = Tilts(weak)
    return strength, strong, weak, tilts, rough_height(strong, weak, clear, tilts)


def typical_height(ink: np.ndarray) -> float:
    """Area-weighted median height of the components that could be digits (0 if there are none).

    Weighting by area lets the digits outvote any number of specks; components far wider than
    tall (ruled lines) do not vote, nor do those spanning half the image (paper edges, the desk,
    long curved lines), unless they hold nearly all the ink and stay clear of the photo's edges:
    the digits of a close-up.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = stats[1:].T
    rows, cols = ink.shape
    shaped = (w <= 6 * h) & (area >= 4)
    small = shaped & (h < rows / 2) & (w < cols / 2)
    # The digits of a close-up, not a grid, a margin rule or the outline of a sheet lying in the
    # photo: clear of its edges, no wider than a digit, with strokes that fill a fair share of
    # their box and are not thin for their size.
    clear = (x > 0) & (y > 0) & (x + w < cols) & (y + h < rows)
    big = shaped & ~small & clear & (w <= 1.5 * h) & (area >= BIG_FILL * w * h)
    if big.any():
        big &= stroke_widths(ink, labels, stats[:, 4])[1:] >= BIG_STROKE * h
    voters = small | big if area[big].sum() > CLOSE_UP_INK * area[small].sum() else small
    return weighted_median(h, area * voters)


def join_grains(strong: np.ndarray, weak: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Close the gaps between the grains of chalk or soft pencil, when the ink is grainy; the
    masks kept and their typical digit height.

    Grainy strokes fall apart into specks, and the specks' size then passes for the digits'. A
    closing joins them; it is kept only when it makes the typical digit GRAINY times taller,
    which is what it does to writing made of grains and not to writing made of strokes.
    """
    grains = typical_height(hysteresis(strong, weak))
    # Tried on every other pixel first, a quarter of the work: few pages have grains to join.
    half = strong[::2, ::2], weak[::2, ::2]
    if typical_height(hysteresis(*map(close_gaps, half))) < GRAINY * typical_height(hysteresis(*half)):
        return strong, weak, grains
    closed = close_gaps(strong), close_gaps(weak)
    joined = typical_height(hysteresis(*closed))
    if joined >= GRAINY * grains:
        return *closed, joined
    return strong, weak, grains


def close_gaps(mask: np.ndarray) -> np.ndarray:
    """The mask closed across gaps up to GRAIN_GAP of its longer side."""
    side = max(3, round(max(mask.shape) * GRAIN_GAP)) | 1
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side)))


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value below which half of the total weight lies (0 when there is no weight)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order], dtype=np.float64)
    if len(cumulative) == 0 or cumulative[-1] <= 0:
        return 0.0
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def rough_height(strong: np.ndarray, weak: np.ndarray, clear: float, tilts: Tilts) -> float:
    """The typical digit height, before the rules are erased with lengths relative to it.

    Digits touching a rule are part of one huge component, so long runs are erased first, on a
    half-size copy, as the height need not be exact. "Long" is a quarter of the photo's side, or
    as long as a rule must be to be erased later if the digits clear of rules are taller: in a
    close-up of a few digits, a quarter of the side is a digit's own stroke. ``clear``: the
    typical height before erasing.
    """
    if not tilts:
        return clear
    rows, cols = weak.shape
    half = (max(1, cols // 2), max(1, rows // 2))
    strong, weak = ((cv2.resize(mask, half, interpolation=cv2.INTER_AREA) > 0).astype(np.uint8) for mask in (strong, weak))
    rule_h, rule_v = int(LINE_LENGTH_H * clear / 2), int(LINE_LENGTH_V * clear / 2)  # at half size
    weak = erase_lines(weak, tilts, max(3, half[0] // 4, rule_h), max(3, half[1] // 4, rule_v), max(3, max(half) // 100))
    return 2 * typical_height(hysteresis(strong, weak))


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
