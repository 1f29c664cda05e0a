"""Find the sheet (or board) in a photo, so the desk around it never produces digits.

The sheet is the large, convex, evenly coloured region whose outline is a sharp edge. Soft
shadows and uneven light also split a page into brighter and darker parts, but their edges are
gradual, which is what tells the two apart. The sheet is looked for among the regions that no
edge crosses (light falling off across the paper does not cut them, and no brightness level need
part the paper from every stretch of desk) and among the pixels brighter or darker than a level
(which part a sheet from a desk even where its edge is too faint for the edge detector); the
largest region that looks like a sheet is taken.
"""
from __future__ import annotations

import cv2
import numpy as np

from .binarize import clear_of_edges
from .loading import scaled

SIDE = 256  # the sheet is looked for on a copy this big
AREA = (0.12, 0.92)  # share of the photo a sheet with desk around it covers
SOLIDITY = 0.9  # a sheet in perspective is a convex quadrilateral
CONTRAST = 25  # grey levels between sheet and desk
SHARPNESS = 0.25  # edge slope (per pixel of the small copy) as a share of the contrast: a paper edge, not a shadow
SHARP_SHARE = 25  # percentile of the outline's slopes that must still be sharp
LEVELS = (20, 35, 50, 65, 80)  # percentiles of brightness tried when Otsu's level finds no sheet
OTHER_LEVELS_SHARP_SHARE = 10  # ... and for them, the percentile that must be sharp: a level may cut along a shadow
EDGE_LOW = 25  # Canny's lower gradient threshold on the small copy (about 3 grey levels per pixel)
LINE_WIDTH = 5  # pixels of the small copy: lines up to this wide are not edges
EDGE_REGIONS = 3  # the largest regions between edges that may be the sheet
SIBLING = 0.25  # a region of the sheet's colour, clear of the photo's edges, this big for its size: no sheet
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
    candidates = _hulls(smooth, slope, [*between_edges(smooth), *sides(bright)], SHARP_SHARE)
    # Uneven light, or a desk as bright as the paper on one side, can defeat Otsu's one level
    # for the whole photo: then other levels are tried. A level can also cut a sheet along a
    # shadow, and lose the writing beyond it, so their outlines must be sharp all but everywhere.
    for level in [] if candidates else np.percentile(smooth, LEVELS):
        candidates += _hulls(smooth, slope, sides((smooth > level).astype(np.uint8)), OTHER_LEVELS_SHARP_SHARE)
    if not candidates:
        return None
    hull = max(candidates, key=lambda h: int(h.sum()))
    hull = cv2.erode(hull, np.ones((2 * MARGIN + 1,) * 2, np.uint8))
    return cv2.resize(hull, (cols, rows), interpolation=cv2.INTER_NEAREST)


def between_edges(smooth: np.ndarray) -> list[np.ndarray]:
    """The EDGE_REGIONS largest regions that no edge crosses, grown back to the edges around them."""
    # Rules and margins are lines with an edge on either side: closed and opened away first.
    square = np.ones((LINE_WIDTH, LINE_WIDTH), np.uint8)
    plain = cv2.morphologyEx(cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, square), cv2.MORPH_OPEN, square)
    edges = cv2.dilate(cv2.Canny(plain, EDGE_LOW, 3 * EDGE_LOW, L2gradient=True), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats((edges == 0).astype(np.uint8), connectivity=4)
    biggest = 1 + np.argsort(-stats[1:, 4])[:EDGE_REGIONS]
    return [cv2.dilate((labels == i).astype(np.uint8), np.ones((3, 3), np.uint8)) for i in biggest]


def sides(above: np.ndarray) -> list[np.ndarray | None]:
    """The largest region above a level (a bright sheet) and below it (a board)."""
    return [largest(above), largest(1 - above)]


def largest(surface: np.ndarray) -> np.ndarray | None:
    """The largest 4-connected region of a 0/1 mask, or None if it is empty."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(surface.astype(np.uint8), connectivity=4)
    return (labels == 1 + int(np.argmax(stats[1:, 4]))).astype(np.uint8) if count > 1 else None


def _hulls(smooth: np.ndarray, slope: np.ndarray, regions: list[np.ndarray | None], sharp_share: float) -> list[np.ndarray]:
    """The hulls of those ``regions`` that look like a sheet."""
    return [hull for hull in (_sheet_hull(smooth, slope, region, sharp_share) for region in regions if region is not None)
            if hull is not None]


def _sheet_hull(smooth: np.ndarray, slope: np.ndarray, region: np.ndarray, sharp_share: float) -> np.ndarray | None:
    """The filled convex hull of ``region`` if it looks like a sheet."""
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
    # Regions of the sheet's colour beside it, as big as a share of it and clear of the photo's
    # edges, are not a desk running on beyond the photo but its siblings: the other digits of a
    # close-up of bold digits, one of which (its strokes run together on the small copy) looked
    # like a small board.
    alike = ((hull == 0) & (np.abs(smooth.astype(np.float32) - inside) < contrast / 2)).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(alike, connectivity=4)
    area = stats[1:, cv2.CC_STAT_AREA]
    if (area[clear_of_edges(stats[1:], alike.shape)] >= SIBLING * hull.sum()).any():
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
