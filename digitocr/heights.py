"""How tall the digits are: the scale in which segmentation measures everything else.

    ink masks (binarize), grains of chalk joined → typical height of the components that could be
    digits → on ruled paper, the height again with long runs roughly erased → in a close-up, the
    masks again with a background window as wide as the digits need (strokes hollowed out by a
    narrow window are told apart first)
"""
from __future__ import annotations

import cv2
import numpy as np

from .binarize import (BACKGROUND_SIDE, BACKGROUND_WINDOW, clear_of_edges, hysteresis, ink_strength, stroke_widths,
                       threshold)
from .lines import LINE_LENGTH_H, LINE_LENGTH_V, Tilts, erase_lines

GRAIN_GAP = 1 / 300  # gaps between grains of chalk are up to this share of the photo's longer side
GRAINY = 2.0  # ... and joining them makes the typical digit this many times taller

# A close-up: digits taller than BACKGROUND_WINDOW / CLOSE_UP of the photo's side get a background
# window CLOSE_UP_WINDOW times their height; and when digit-sized votes are CLOSE_UP_INK times
# outweighed by components spanning half the photo, clear of its edges, those are the digits.
CLOSE_UP, CLOSE_UP_WINDOW, CLOSE_UP_INK = 1.5, 2.5, 4
BIG_FILL, BIG_STROKE = 0.1, 1 / 30  # ... digit-like: ink filling this share of the box, strokes this share of the height wide
CLOSE_UP_PASSES = 2  # a close-up's window is widened at most this many times
# Strokes were hollowed out by the background window when, against the whole photo's background,
# the digits are HOLLOW_TALLER times as tall, and the ink found holds HOLLOW_OUTLINE of their
# outlines but misses HOLLOW_INSIDE of their insides, which are as dark as the ink found, or
# lighter by at most HOLLOW_ALIKE of the difference between ink and paper (see hollowed_height).
HOLLOW_TALLER, HOLLOW_OUTLINE, HOLLOW_INSIDE, HOLLOW_ALIKE = 1.5, 0.3, 0.3, 0.25


def measure(gray: np.ndarray, sheet: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, Tilts, float, bool]:
    """``ink_masks`` at the background window the digits need, and whether that is a close-up's."""
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
    return strength, strong, weak, tilts, height, window > 0


def ink_masks(gray: np.ndarray, sheet: np.ndarray | None,
              least_window: float = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, Tilts, float]:
    """Ink strength, strong and weak ink masks, the tilts of long lines and the rough digit height."""
    strength, floor = ink_strength(gray, sheet, least_window)
    strong, weak, clear = join_grains(*threshold(strength, floor))
    # Rules are erased from the weak mask, before hysteresis: faint rules touching digits would
    # otherwise survive as short stubs grown from the digits' strong ink.
    tilts = Tilts(weak)
    return strength, strong, weak, tilts, rough_height(strong, weak, clear, tilts)


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


def typical_height(ink: np.ndarray, seeds: np.ndarray | None = None) -> float:
    """Area-weighted median height of the components that could be digits (0 if there are none);
    with ``seeds``, of the components of ``ink`` holding a seed pixel only: the height of
    ``hysteresis(seeds, ink)``, for which the ink need not be labelled twice.

    Weighting by area lets the digits outvote any number of specks; components far wider than
    tall (ruled lines) do not vote, nor do those spanning half the image (paper edges, the desk,
    long curved lines), unless they hold nearly all the ink and stay clear of the photo's edges:
    the digits of a close-up.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = stats[1:].T
    rows, cols = ink.shape
    shaped = (w <= 6 * h) & (area >= 4)
    if seeds is not None:
        seeded = np.zeros(count, bool)
        seeded[labels[seeds > 0]] = True
        shaped &= seeded[1:]
    small = shaped & (h < rows / 2) & (w < cols / 2)
    # The digits of a close-up, not a grid, a margin rule or the outline of a sheet lying in the
    # photo: clear of its edges, no wider than a digit, with strokes that fill a fair share of
    # their box and are not thin for their size.
    clear = clear_of_edges(stats[1:], ink.shape)
    big = shaped & ~small & clear & (w <= 1.5 * h) & (area >= BIG_FILL * w * h)
    if big.any():  # (the components of ink that are not seeded do not touch those that are)
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
    grains = typical_height(weak, seeds=strong)
    # Tried on every other pixel first, a quarter of the work: few pages have grains to join.
    half_strong, half_weak = strong[::2, ::2], weak[::2, ::2]
    if (typical_height(close_gaps(half_weak), seeds=close_gaps(half_strong))
            < GRAINY * typical_height(half_weak, seeds=half_strong)):
        return strong, weak, grains
    closed_strong, closed_weak = close_gaps(strong), close_gaps(weak)
    joined = typical_height(closed_weak, seeds=closed_strong)
    if joined >= GRAINY * grains:
        return closed_strong, closed_weak, joined
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
    return 2 * typical_height(weak, seeds=strong)
