"""Orientation detection on generated pages: accuracy per stored turn, and what ``--rotate auto`` costs.

    python benchmarks/orientation.py [--pages 40] [--tier photo]

Each page is stored turned by 0, 90, 180 and 270 degrees (as a phone without EXIF would).
"right turn" counts the photos that auto-rotation reads exactly as the upright page read with
``--rotate 0``; the timing compares ``auto`` with ``0`` on the upright pages.
"""
from __future__ import annotations

import argparse
import time

from digitocr import orient
from digitocr.reader import Reader
from digitocr.synth import TIERS, page, test_digits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--tier", choices=list(TIERS), default="photo")
    parser.add_argument("--seed", type=int, default=500)
    args = parser.parse_args()
    digits = test_digits()
    auto, fixed = Reader(rotate=None), Reader(rotate=0)
    same = {degrees: 0 for degrees in orient.TURNS}
    seconds = {"auto": 0.0, "0": 0.0}
    for seed in range(args.seed, args.seed + args.pages):
        upright = page(digits, TIERS[args.tier], seed).image
        started = time.perf_counter()
        expected = fixed.read(upright).texts()
        seconds["0"] += time.perf_counter() - started
        for degrees in orient.TURNS:
            photo = orient.turn(upright, (360 - degrees) % 360)  # needs `degrees` clockwise to be upright
            started = time.perf_counter()
            texts = auto.read(photo).texts()
            if degrees == 0:
                seconds["auto"] += time.perf_counter() - started
            same[degrees] += texts == expected
    print(f"{args.tier} tier, {args.pages} pages")
    for degrees, count in same.items():
        print(f"  stored needing {degrees:3d}° turn: read as upright {count}/{args.pages}")
    extra = (seconds["auto"] - seconds["0"]) / args.pages
    print(f"  upright pages: {seconds['0'] / args.pages * 1000:.0f} ms with --rotate 0, "
          f"{seconds['auto'] / args.pages * 1000:.0f} ms with auto ({extra * 1000:+.0f} ms per image)")


if __name__ == "__main__":
    main()
