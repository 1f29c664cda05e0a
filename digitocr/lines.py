"""Erase ruled lines, grid lines and straight paper edges from an ink mask.

Lines in phone photos are rarely axis-aligned, so their tilts are found first (a Hough transform
on a small copy). For each tilt the mask is sheared until those lines are exactly horizontal and
opened with a long flat kernel: only runs longer than any digit stroke survive, and they are lines.
Vertical lines are the same problem on the transposed mask. Strokes crossing a line are bridged.
A row of bold digits set close fills most of a long run too: where such writing makes a line
much thicker than it is elsewhere, or makes a "line" with no long thin stretch at all, it is kept.
"""
from __future__ import annotations

import cv2
import numpy as np

HOUGH_SIDE = 800  # tilts are found on a copy this big
MIN_LINE = 0.2  # Hough lines are at least this share of the image's longer side
MAX_TILT = 12.0  # degrees from horizontal/vertical: the lines of a photographed page
ANGLE_STEP = 1.0  # degrees; Hough peaks closer than this are one tilt
MAX_TILTS = 4  # per orientation, strongest first: enough for lines converging in perspective
LINE_DENSITY = 0.6  # share of inked pixels along a run that makes it a line
ACROSS_DENSITY = 0.9  # ... along a line across a photo narrower than a line's length
LINE_LENGTH_H, LINE_LENGTH_V = 5.0, 5.0  # rules are mostly ink over this many digit heights; rows of digits are not


class Tilts:
    """Tilts (degrees) of the long lines of a page: ``horizontal`` and ``vertical`` lists."""

    def __init__(self, ink: np.ndarray):
        scale = min(1.0, HOUGH_SIDE / max(ink.shape))
        # INTER_AREA then > 0 keeps a 1-px line visible at any scale (a max-pool, in effect).
        small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
        found = cv2.HoughLines((small > 0).astype(np.uint8), 1, np.radians(ANGLE_STEP),
                               max(20, int(MIN_LINE * max(small.shape))))
        # Horizontal lines are always checked: a short underline is too short for the Hough vote.
        self.horizontal: list[float] = [0.0]
        self.vertical: list[float] = []
        for theta in ([] if found is None else np.degrees(found[:, 0, 1])):
            # theta is the angle of the line's normal: 90 for a horizontal line, 0 or 180 for a vertical one.
            self._add(self.horizontal, theta - 90)
            self._add(self.vertical, -((theta + 90) % 180 - 90))

    @staticmethod
    def _add(tilts: list[float], tilt: float) -> None:
        if abs(tilt) <= MAX_TILT and len(tilts) < MAX_TILTS and all(abs(tilt - t) >= ANGLE_STEP for t in tilts):
            tilts.append(float(tilt))

    def __bool__(self) -> bool:
        return len(self.horizontal) > 1 or bool(self.vertical)


def erase_lines(ink: np.ndarray, tilts: Tilts, length_h: int, length_v: int, bridge: int,
                bold: int | None = None, close_up: bool = False) -> np.ndarray:
    """The ink without straight runs longer than ``length_h`` (horizontal) or ``length_v`` (vertical).

    ``bridge``: the thickest line across which a crossing stroke's ink is restored. ``bold``: ink
    along a horizontal line thicker than this may be writing (see ``writing_along``); None erases
    it all. Only in a close-up (``close_up``) can an upright line hold writing: elsewhere it is
    longer than a digit.
    """
    for tilt in tilts.horizontal:
        ink = erase_horizontal(ink, tilt, length_h, bridge, bold=bold, close_up=close_up)
    for tilt in tilts.vertical:
        ink = erase_upright(ink, tilt, length_v, bridge, bold=bold if close_up else None, close_up=close_up)
    return ink


def erase_upright(ink: np.ndarray, tilt: float, length: int, bridge: int, density: float = LINE_DENSITY,
                  bold: int | None = None, close_up: bool = False) -> np.ndarray:
    """``erase_horizontal`` for upright lines: on the transposed mask, ``tilt`` degrees from vertical."""
    upright = erase_horizontal(np.ascontiguousarray(ink.T), tilt, length, bridge, density, bold, close_up)
    return np.ascontiguousarray(upright.T)


def erase_horizontal(ink: np.ndarray, tilt: float, length: int, bridge: int, density: float = LINE_DENSITY,
                     bold: int | None = None, close_up: bool = False) -> np.ndarray:
    """The ink without runs along ``tilt`` of which ``density`` or more over ``length`` is ink
    (but for writing along them thicker than ``bold``: see ``writing_along``)."""
    if length > ink.shape[1]:
        # A close-up narrower than a line must be long: a line there crosses the whole photo,
        # all but unbroken, unlike a 7's bar however wide it is drawn.
        length, density = ink.shape[1], ACROSS_DENSITY
    straight, back = shear(ink, tilt)
    # A pixel is on a line when most of the run of ``length`` through it is ink: faint, dotted and
    # noisy rules still qualify, while no digit stroke fills that much. Thickening by one pixel up
    # and down absorbs the sub-degree mismatch between a line's tilt and the sheared tilt.
    thick = cv2.dilate(straight, np.ones((3, 1), np.uint8))
    # Lines running off the photo are mirrored at its edge, so they are erased right up to it.
    # (Counted in 16-bit integers: twice as fast as averaging in floats, and this runs for every tilt.)
    inked = cv2.boxFilter(thick, cv2.CV_16U, (length, 1), normalize=False, borderType=cv2.BORDER_REFLECT)
    lines = straight & (inked >= density * length).astype(np.uint8)
    x, y, w, h = cv2.boundingRect(lines)
    # Worked out in the lines' box, as most pages have few; with none, the box is empty (which
    # OpenCV's component labelling cannot take).
    if bold is not None and w:
        lines[y:y + h, x:x + w] &= 1 - writing_along(lines[y:y + h, x:x + w], length, bold, close_up)
    if not lines.any():
        return ink
    # Within (density - 1/2) × length of a line's end, the run through a pixel is half off the
    # line and falls short of the density: that last stretch is the line's too (a box's corner
    # would otherwise keep stubs on its wall, a "[" read as a digit). Only unbroken runs of line
    # that long are carried on, not the odd pixels of a line's rim beside a digit's stroke.
    reach = int((density - 0.5) * length)
    if reach > 0:
        kernel = np.ones((1, 2 * reach + 1), np.uint8)
        lines = lines | (straight & cv2.dilate(cv2.morphologyEx(lines, cv2.MORPH_OPEN, kernel), kernel))
    rest = straight & (1 - lines)
    # A stroke crossing the line has ink right above and below it: closing vertically bridges it.
    # However thick the line is drawn or blurred, the bridge must span it: the line is erased
    # with the pixel either side of it where a stroke touches, and closing fills gaps shorter than its kernel.
    bridge = max(bridge, line_thickness(lines) + 3)
    crossing = cv2.morphologyEx(rest, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge | 1)))
    erased = back(lines & (1 - crossing))
    return ink & (1 - erased)


def writing_along(lines: np.ndarray, length: int, bold: int, close_up: bool = False) -> np.ndarray:
    """The pixels of ``lines`` (0/1, horizontal) that are writing: bold digits set close together
    fill most of a long run too, in a band a good share of their height thick.

    A rule is long and thin. Where digits are written along it, its run widens into their band:
    pixels in vertical runs more than twice its mean thickness (and than ``bold``) are writing.
    A "line" shorter than ``length`` has no long stretch of its own (bands of writing, or the
    pieces of a dotted rule): all of it is writing if it is anywhere thicker than ``bold``. A
    paper edge is long and thick all along: it stays a line, except in a close-up, which has none:
    there a line more than twice ``bold`` thick on average is a row of bold digits set close.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    tops, cols, lengths = vertical_runs(lines)
    owner = labels[tops, cols]  # each run's component
    mean = np.bincount(owner, lengths, count) / np.maximum(np.bincount(owner, minlength=count), 1)
    thickest = np.zeros(count)
    np.maximum.at(thickest, owner, lengths)
    short = stats[:, cv2.CC_STAT_WIDTH] < length
    limit = np.where(short, bold, np.maximum(2 * mean + 1, bold))
    whole = (short & (thickest > bold)) | (close_up & (mean > 2 * bold))
    writing = (lengths > limit[owner]) | whole[owner]
    return paint_runs(lines.shape, tops[writing], cols[writing], lengths[writing])


def vertical_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every vertical run of nonzero pixels in a mask: its top row, its column and its length."""
    cols, rows = np.nonzero(mask.T)  # the pixels in order of column, then row
    # A run starts where the column changes or a row is skipped.
    starts = np.flatnonzero(np.r_[True, (np.diff(cols) != 0) | (np.diff(rows) != 1)][:len(rows)])
    return rows[starts], cols[starts], np.diff(np.r_[starts, len(rows)])


def paint_runs(shape: tuple[int, int], tops: np.ndarray, cols: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A uint8 mask of ``shape`` with the given vertical runs set to 1."""
    out = np.zeros(shape, np.uint8)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # 0, 1, ... within each run
    out[np.repeat(tops, lengths) + offsets, np.repeat(cols, lengths)] = 1
    return out


def line_thickness(lines: np.ndarray) -> int:
    """The mean thickness of a mask of horizontal lines: its pixels per vertical run, counted on
    every fourth column (the lines run the whole width; this is on every page's path)."""
    sample = lines[:, ::4]
    runs = int(sample[0].sum()) + int(np.count_nonzero(sample[1:] > sample[:-1]))
    return round(int(sample.sum()) / runs) if runs else 0


def shear(image: np.ndarray, tilt: float):
    """Shift every column so lines of ``tilt`` degrees become horizontal; also the exact inverse."""
    rows, cols = image.shape
    shift = np.round(np.arange(cols) * np.tan(np.radians(tilt))).astype(np.intp)
    shift -= shift.min()
    pad = int(shift.max())
    if pad == 0:
        return image, lambda sheared: sheared
    # Columns sharing a shift form runs, and each run moves as one block: a row y of the image
    # lands on row y + pad - shift of the sheared copy.
    edges = np.flatnonzero(np.diff(shift)) + 1
    runs = [(int(a), int(b), pad - int(shift[a])) for a, b in zip(np.r_[0, edges], np.r_[edges, cols])]
    straight = np.zeros((rows + pad, cols), image.dtype)
    for a, b, top in runs:
        straight[top:top + rows, a:b] = image[:, a:b]

    def back(sheared: np.ndarray) -> np.ndarray:
        restored = np.empty_like(image)
        for a, b, top in runs:
            restored[:, a:b] = sheared[top:top + rows, a:b]
        return restored

    return straight, back
