"""Photo → ink masks: background normalisation, automatic polarity, hysteresis threshold.

Ink is whatever deviates from the local background, darker (pen on paper) or lighter (chalk on a
board, white-on-black screenshots). The background is the local median of a downscaled copy, so
uneven light, shadows and coloured paper are divided out before anything is thresholded.
"""
from __future__ import annotations

import cv2
import numpy as np

from .loading import scaled

BACKGROUND_SIDE = 256  # the background is estimated on a copy this big: it is smooth, detail is wasted
BACKGROUND_WINDOW = 1 / 10  # median window as a share of the image side: wider than any stroke
DARK_OFFSET = 8.0  # added to the divisor so sensor noise in black areas is not amplified
MIN_CONTRAST = 0.08  # ink differs from its background by at least ~8% of the light
NOISE_SIGMAS = 4.0  # and by at least this many robust noise deviations
# ... but never more than this: ink's contrast is bounded by 1, while on a dark, grainy ground (a
# blackboard, light ink on black paper) the grain's contrast, relative to so little light, is not.
MAX_FLOOR = 0.4
DARK_GROUND = 128  # a photo whose median gray is below this shows a dark ground (a board, black paper)
SEED_LEVEL, GROW_LEVEL = 0.45, 0.3  # hysteresis thresholds as shares of the typical ink contrast


def to_gray(image: np.ndarray) -> np.ndarray:
    """2-D uint8 gray from gray, BGR or BGRA input."""
    if image.ndim == 2:
        return image
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


def background(gray: np.ndarray, least_window: float = 0) -> np.ndarray:
    """Local background level (float32, same shape): median over a window much wider than a stroke.

    ``least_window``: the smallest window side in pixels of ``gray``, for writing so large in the
    photo that BACKGROUND_WINDOW of its side is not much wider than a stroke.
    """
    height, width = gray.shape
    scale = min(1.0, BACKGROUND_SIDE / max(height, width))
    small = scaled(gray, scale)
    window = max(3, int(max(small.shape) * BACKGROUND_WINDOW), int(least_window * scale)) | 1
    # No wider than the copy: a wider window sees nothing more (and OpenCV refuses some widths).
    window = min(window, max(small.shape) | 1)
    smooth = cv2.medianBlur(small, window)
    return cv2.resize(smooth, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.float32)


def relative_contrast(pixels: np.ndarray, background: np.ndarray) -> np.ndarray:
    """How far each pixel is from its background, as a signed share of the brighter of the two:
    -1 for black ink on any paper, +1 for white chalk on any board, 0 for background.

    Bounded on both sides, so the hysteresis levels below (shares of the page's typical ink
    contrast) mean the same for ink of any darkness: a log ratio, by contrast, blows up near
    black, and the mid-gray edges and thin parts of a stroke next to black ink then fell below
    every level and the stroke came apart.
    """
    brighter = np.maximum(pixels, background)
    brighter += DARK_OFFSET
    contrast = pixels - background
    contrast /= brighter  # (in place: this runs on every pixel, twice or more a photo)
    return contrast


def ink_strength(gray: np.ndarray, sheet: np.ndarray | None = None, least_window: float = 0) -> tuple[np.ndarray, float]:
    """How much each pixel looks like ink (its relative contrast, signed so that ink is positive,
    whichever the polarity), and the noise floor below which nothing counts as ink.

    ``sheet``: mask of the paper or board (see ``sheet.find_sheet``); ink outside it is ignored.
    ``least_window``: see ``background``.
    """
    surface = gray
    if sheet is not None:
        # The desk is painted over with the sheet's own colour so it cannot skew the background
        # near the sheet's edge, and the statistics below only see the sheet.
        surface = np.where(sheet > 0, gray, np.uint8(np.median(gray[sheet > 0])))
    deviation, floor, sample = _contrast(surface, sheet, least_window)
    # Polarity: the ink side is the one with more energy beyond the noise floor. The background is
    # the majority of every median window, so it sits near 0 whatever its own brightness.
    dark_energy = float(np.maximum(-sample - floor, 0).sum())
    light_energy = float(np.maximum(sample - floor, 0).sum())
    if dark_energy >= light_energy:
        return -deviation, floor
    if np.median(gray[::3, ::3]) >= DARK_GROUND:
        # Light "ink" in a bright photo: the paper between a close-up's thick strokes, before the
        # background window is widened (see heights.CLOSE_UP), or inside a bold digit taken for a sheet.
        return deviation, floor
    # Light ink on a dark ground is read as its negative: relative to so little light, the ground's
    # grain looks strong and the floor rises above the grainy middle of the strokes, while on the
    # negative, ground and ink are measured against the same light, as for dark ink on paper.
    deviation, floor, _ = _contrast(255 - surface, sheet, least_window)
    return -deviation, floor


def _contrast(surface: np.ndarray, sheet: np.ndarray | None, least_window: float) -> tuple[np.ndarray, float, np.ndarray]:
    """The relative contrast of every pixel, the noise floor, and the sample it was measured on."""
    deviation = relative_contrast(surface.astype(np.float32), background(surface, least_window))
    # (Not the paint: its flat pixels would make the paper look quieter than it is.)
    sample = deviation[::3, ::3] if sheet is None else deviation[::3, ::3][sheet[::3, ::3] > 0]
    noise = 1.4826 * float(np.median(np.abs(sample)))
    return deviation, min(max(MIN_CONTRAST, NOISE_SIGMAS * noise), MAX_FLOOR), sample


def threshold(strength: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Strong and weak ink masks (uint8, 1 = ink) of the minority strokes that stand out from the
    background. Weak ink counts only where it touches strong ink (see ``hysteresis``)."""
    strong = strength[::3, ::3]
    strong = strong[strong > floor]
    if strong.size == 0:
        empty = np.zeros(strength.shape, np.uint8)
        return empty, empty
    level = float(np.percentile(strong, 97))
    seeds = strength > max(floor, SEED_LEVEL * level)
    grown = strength > max(floor, GROW_LEVEL * level)
    return seeds.astype(np.uint8), grown.astype(np.uint8)


def hysteresis(seeds: np.ndarray, grown: np.ndarray) -> np.ndarray:
    """Components of ``grown`` that contain at least one seed pixel, as a uint8 0/1 mask."""
    count, labels = cv2.connectedComponents(grown, connectivity=8)
    keep = np.zeros(count, np.uint8)
    keep[labels[seeds > 0]] = 1
    keep[0] = 0
    return keep.take(labels)


def stroke_widths(ink: np.ndarray, labels: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Mean stroke width of every labelled component of a 0/1 mask: twice its area over its
    perimeter, as for a long thin ribbon. ``areas``: pixel count per label, background included."""
    inner = cv2.erode(ink, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT,
                      borderValue=0)  # outside the mask is background, not ink
    perimeter = np.bincount(labels[ink > inner], minlength=len(areas))
    return 2 * areas / np.maximum(perimeter, 1)


def clear_of_edges(stats: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """For components' ``stats`` (rows of cv2.connectedComponentsWithStats, background left out),
    whether each lies clear of the edges of a mask of ``shape``, touching none of them."""
    x, y, w, h = stats[:, :4].T
    return (x > 0) & (y > 0) & (x + w < shape[1]) & (y + h < shape[0])
