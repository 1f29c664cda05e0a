"""Find the sheet (or board) in a photo, so the desk around it never produces digits.

The sheet is the large, convex, evenly coloured region whose outline is a sharp edge. Soft
shadows and uneven light also split a page into brighter and darker parts, but their edges are
gradual, which is what tells the two apart.
"""
from __future__ import annotations

import cv2
import numpy as np

from .loading import scaled

SIDE = 256  # the sheet is looked for on a copy this big
AREA = (0.12, 0.92)  # share of the photo a sheet with desk around it covers
SOLIDITY = 0.9  # a sheet in perspective is a convex quadrilateral
CONTRAST = 25  # grey levels between sheet and desk
SHARPNESS = 0.25  # edge slope (per pixel of the small copy) as a share of the contrast: a paper edge, not a shadow
SHARP_SHARE = 25  # percentile of the outline's slopes that must still be sharp
LEVELS = (20, 35, 50, 65, 80)  # percentiles of brightness tried when Otsu's level finds no sheet
OTHER_LEVELS_SHARP_SHARE = 10  # ... and for them, the percentile that must be sharp: a level may cut along a shadow
MARGIN = 2  # pixels of the small copy trimmed off the outline: the edge itself is not writing


def find_sheet(gray: np.ndarray) -> np.ndarray | None:
    """uint8 mask (1 = on the sheet) at the photo's size, or None if the sheet fills the photo."""
    rows, cols = gray.shape
    scale = min(1.0, SIDE / max(rows, cols))
    small = scaled(gray, scale)
    smooth = cv2.medianBlur(small, 5)  # writing gone, edges kept
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    # Sobel's weights sum to 8 across a step: slope in grey levels per pixel, the steepest nearby.
    slope = cv2.dilate(np.hypot(gx, gy) / 8, np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(smooth, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    candidates = _sheet_hulls(smooth, slope, bright, SHARP_SHARE)
    # Uneven light, or a desk as bright as the paper on one side, can defeat Otsu's one level
    # for the whole photo: then other levels are tried. A level can also cut a sheet along a
    # shadow, and lose the writing beyond it, so their outlines must be sharp all but everywhere.
    for level in [] if candidates else np.percentile(smooth, LEVELS):
        candidates += _sheet_hulls(smooth, slope, (smooth > level).astype(np.uint8), OTHER_LEVELS_SHARP_SHARE)
    if not candidates:
        return None
    hull = max(candidates, key=lambda h: int(h.sum()))
    hull = cv2.erode(hull, np.ones((2 * MARGIN + 1,) * 2, np.uint8))
    return cv2.resize(hull, (cols, rows), interpolation=cv2.INTER_NEAREST)


def _sheet_hulls(smooth: np.ndarray, slope: np.ndarray, above: np.ndarray, sharp_share: float) -> list[np.ndarray]:
    """The sheet hulls found among the pixels above a level (a bright sheet) and below it (a board)."""
    return [hull for hull in (_sheet_hull(smooth, slope, surface, sharp_share) for surface in (above, 1 - above))
            if hull is not None]


def _sheet_hull(smooth: np.ndarray, slope: np.ndarray, surface: np.ndarray, sharp_share: float) -> np.ndarray | None:
    """The filled convex hull of the largest region of ``surface`` if it looks like a sheet."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(surface.astype(np.uint8), connectivity=4)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, 4]))
    region = (labels == largest).astype(np.uint8)
    if not AREA[0] <= region.mean() <= AREA[1]:
        return None
    # The hull of the outer outline is the hull of the whole region, from far fewer points.
    outlines, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = np.zeros_like(region)
    cv2.fillConvexPoly(hull, cv2.convexHull(np.concatenate(outlines)), 1)
    if hull.all():
        return None  # nothing around it: the sheet fills the photo
    if region.sum() < SOLIDITY * hull.sum():
        return None
    inside, outside = float(np.median(smooth[hull > 0])), float(np.median(smooth[hull == 0]))
    contrast = abs(inside - outside)
    if contrast < CONTRAST:
        return None
    # The outline, except where the sheet runs off the photo (no edge there to measure).
    outline = (hull > 0) & (cv2.erode(hull, np.ones((3, 3), np.uint8)) == 0)
    outline[[0, -1], :] = False
    outline[:, [0, -1]] = False
    if not outline.any():
        return None
    edge = slope[outline]
    # Nearly all of the outline must be a sharp edge: a soft shadow can make up part of it.
    return hull if float(np.percentile(edge, sharp_share)) >= SHARPNESS * contrast else None
