"""How often the sheet is found on generated photos, and whether any writing is left outside it.

    python benchmarks/sheets.py [--pages 300]

The pages are the tier pages of eval_tiers.py (same seeds). On a page whose sheet lies on a desk,
the sheet found should cover the true one (intersection over union ≥ 0.9); where the paper fills
the photo, nothing should be found. A digit whose centre falls outside the sheet found is lost
to the reader: that count must stay 0. On 2026-11-24 (300 pages each), before → after looking
between edges too: hard pages (all on a desk) found 165 → 247 of 300, photo pages on a desk 55 →
73 of 84; no sheet found on the 216 photo pages without a desk, before or after; digits outside
the sheet found 3 → 0.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter

import cv2
import numpy as np
from rich.progress import track

from digitocr.binarize import to_gray
from digitocr.sheet import find_sheet
from digitocr.synth import TIERS, page
from common import SEEDS, test_digits_or_exit

GOOD_IOU = 0.9


def outcome(found: np.ndarray | None, outline: np.ndarray | None, shape: tuple[int, int]) -> str:
    if outline is None:
        return "no desk: none found" if found is None else "no desk: a sheet found"
    if found is None:
        return "on a desk: none found"
    truth = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(truth, np.round(outline).astype(np.int32), 1)
    iou = (found & truth).sum() / max((found | truth).sum(), 1)
    return "on a desk: found" if iou >= GOOD_IOU else f"on a desk: found, IoU < {GOOD_IOU}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages per tier")
    args = parser.parse_args()
    digits = test_digits_or_exit()
    for tier in ("photo", "hard"):
        counts, lost, seconds = Counter(), 0, 0.0
        for i in track(range(args.pages), description=tier, transient=True):
            made = page(digits, TIERS[tier], (SEEDS[tier], i))
            gray = to_gray(made.image)
            started = time.perf_counter()
            found = find_sheet(gray)
            seconds += time.perf_counter() - started
            counts[outcome(found, made.sheet, gray.shape)] += 1
            if found is not None:
                lost += sum(found[b.y + b.h // 2, b.x + b.w // 2] == 0 for row in made.boxes for b in row)
        print(f"{tier}: " + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
              + f"; digits outside the sheet found: {lost}; {1000 * seconds / args.pages:.1f} ms per photo")


if __name__ == "__main__":
    main()
