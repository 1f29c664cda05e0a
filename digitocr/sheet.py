"""Find the sheet (or board) in a photo, so the desk around it never produces digits.

The sheet is the large, convex, evenly coloured region whose outline is a sharp edge. Soft
shadows and uneven light also split a page into brighter and darker parts, but their edges are
gradual, which is what tells the two apart.
"""
from __future__ import annotations

import cv2
import numpy as np

SIDE = 256  # the sheet is looked for on a copy this big
AREA = (0.12, 0.92)  # share of the photo a sheet with desk around it covers
SOLIDITY = 0.9  # a sheet in perspective is a convex quadrilateral
CONTRAST = 25  # grey levels between sheet and desk
SHARPNESS = 0.25  # edge slope (per pixel of the small copy) as a share of the contrast: a paper edge, not a shadow
SHARP_SHARE = 25  # percentile of the outline's slopes that must still be sharp
MARGIN = 2  # pixels of the small copy trimmed off the outline: the edge itself is not writing


def find_sheet(gray: np.ndarray) -> np.ndarray | None:
    """uint8 mask (1 = on the sheet) at the photo's size, or None if the sheet fills the photo."""
    rows, cols = gray.shape
    scale = min(1.0, SIDE / max(rows, cols))
    small = cv2.resize(gray, (max(1, round(cols * scale)), max(1, round(rows * scale))), interpolation=cv2.INTER_AREA)
    smooth = cv2.medianBlur(small, 5)  # writing gone, edges kept
    _, bright = cv2.threshold(smooth, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    candidates = [hull for hull in (_sheet_hull(smooth, bright), _sheet_hull(smooth, 1 - bright)) if hull is not None]
    if not candidates:
        return None
    hull = max(candidates, key=lambda h: int(h.sum()))
    hull = cv2.erode(hull, np.ones((2 * MARGIN + 1,) * 2, np.uint8))
    return cv2.resize(hull, (cols, rows), interpolation=cv2.INTER_NEAREST)


def _sheet_hull(smooth: np.ndarray, surface: np.ndarray) -> np.ndarray | None:
    """The filled convex hull of the largest region of ``surface`` if it looks like a sheet."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(surface.astype(np.uint8), connectivity=4)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, 4]))
    region = (labels == largest).astype(np.uint8)
    if not AREA[0] <= region.mean() <= AREA[1]:
        return None
    points = cv2.findNonZero(region)
    hull = np.zeros_like(region)
    cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
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
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    slope = np.hypot(gx, gy) / 8  # Sobel's weights sum to 8 across a step: slope in grey levels per pixel
    edge = cv2.dilate(slope, np.ones((3, 3), np.uint8))[outline]  # the steepest point near the outline
    # Nearly all of the outline must be a sharp edge: a soft shadow can make up part of it.
    return hull if float(np.percentile(edge, SHARP_SHARE)) >= SHARPNESS * contrast else None
