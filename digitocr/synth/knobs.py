"""Difficulty knobs of the page generator and the three named tiers.

Ranges are ``(low, high)`` pairs sampled uniformly per page (or per row / digit where the
name says so); chances are probabilities in 0..1. Lengths are relative to the digit height
of the row unless they say ``px``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

Range = tuple[float, float]


@dataclass(frozen=True)
class Knobs:
    # Layout
    rows: tuple[int, int] = (1, 4)
    digits_per_row: tuple[int, int] = (3, 10)
    long_row_chance: float = 0.0  # a row of 12..20 digits instead
    digit_height_px: Range = (30.0, 60.0)  # per row, so sizes differ across rows
    spacing: Range = (0.2, 0.6)  # blank gap between neighbours
    touching_chance: float = 0.0  # a neighbour gap is negative instead: the digits touch or overlap
    overlap: Range = (0.05, 0.25)  # how far touching digits overlap, as a fraction of the narrower
    baseline_jitter: float = 0.05
    slope_deg: float = 1.5  # per-row slope on plain paper (ruled and squared paper keep rows on the lines)
    group_chance: float = 0.0  # a row is split into groups (phone numbers, dates)
    separator_chance: float = 0.0  # group boundaries get a drawn . , - or / instead of a wide gap
    # Pen
    pen_width: Range = (-0.6, 0.3)  # stroke width change in MNIST pixels (negative: thinner)
    broken_chance: float = 0.0  # per digit: a pen skip erases a band across one stroke
    pencil_chance: float = 0.15
    # Paper
    ruled_chance: float = 0.0
    squared_chance: float = 0.0
    chalkboard_chance: float = 0.0
    texture: Range = (0.0, 0.03)  # paper grain amplitude
    specks: tuple[int, int] = (0, 0)  # dirt and dust particles per page
    # Camera
    desk_chance: float = 0.0  # the sheet lies on a desk that is visible around it
    rotation_deg: float = 2.0
    perspective: float = 0.0  # corner displacement as a fraction of the sheet size
    uneven_light: Range = (0.0, 0.1)  # depth of the low-frequency brightness variation
    shadow_chance: float = 0.0
    blur_sigma: Range = (0.0, 0.6)  # px
    noise_sigma: Range = (1.0, 3.0)  # grey levels
    jpeg_quality: tuple[int, int] = (80, 95)


CLEAN = Knobs()

PHOTO = Knobs(
    rows=(1, 5), long_row_chance=0.1, digit_height_px=(26.0, 70.0), spacing=(0.12, 0.6), slope_deg=3.0,
    group_chance=0.15, broken_chance=0.02, ruled_chance=0.35, squared_chance=0.2, chalkboard_chance=0.12,
    texture=(0.01, 0.05), specks=(0, 5), desk_chance=0.3, rotation_deg=5.0, perspective=0.06,
    uneven_light=(0.1, 0.4), shadow_chance=0.4, blur_sigma=(0.3, 1.3), noise_sigma=(2.0, 5.0), jpeg_quality=(50, 90),
)

HARD = replace(
    PHOTO, rows=(1, 6), long_row_chance=0.2, spacing=(0.05, 0.5), touching_chance=0.2, group_chance=0.3, separator_chance=0.6,
    pen_width=(-0.8, 0.8), broken_chance=0.1, specks=(10, 50), desk_chance=1.0, rotation_deg=8.0, perspective=0.1,
    uneven_light=(0.2, 0.55), shadow_chance=0.5, blur_sigma=(0.4, 1.6), noise_sigma=(3.0, 8.0), jpeg_quality=(35, 80),
)

TIERS = {"clean": CLEAN, "photo": PHOTO, "hard": HARD}
