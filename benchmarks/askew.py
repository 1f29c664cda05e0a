"""Photos taken with the phone held askew: generated pages turned by a few angles, read as a whole.

    python benchmarks/askew.py [--tier clean] [--pages 40] [--angles 0,10,-10,20,-20,30,-30]

Each page (the same seeds as eval_tiers.py) is turned counter-clockwise by each angle on a canvas
that holds all of it, the uncovered corners filled with the photo's border colour, as a photo of
the page taken with the phone turned would be. Prints the rows read exactly per angle (scored as
``digitocr eval`` scores them) and the time per page.
"""
from __future__ import annotations

import argparse
import time

from rich.progress import track

from common import test_digits_or_exit
from eval_tiers import SEEDS
from digitocr import level
from digitocr.evaluate import score
from digitocr.reader import Reader
from digitocr.synth import TIERS, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tier", choices=list(TIERS), default="clean")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--angles", default="0,10,-10,20,-20,30,-30", help="degrees, counter-clockwise")
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")
    args = parser.parse_args()
    digits = test_digits_or_exit()
    reader = Reader(args.model)
    pages = [page(digits, TIERS[args.tier], (SEEDS[args.tier], i)) for i in range(args.pages)]
    print(f"{args.tier} tier, {args.pages} pages, model {reader.classifier.name}")
    for degrees in (float(a) for a in args.angles.split(",")):
        exact = rows = 0
        started = time.perf_counter()
        for made in track(pages, description=f"{degrees:+.0f}°", transient=True):
            photo = level.turned(made.image, degrees)[0] if degrees else made.image
            result = score("", [text.replace(" ", "") for text in made.rows], reader.read(photo).texts())
            exact, rows = exact + result.rows_exact, rows + len(result.expected)
        per_page = (time.perf_counter() - started) / len(pages)
        print(f"  {degrees:+5.0f}°  rows exact {exact:4d}/{rows}  {exact / rows:6.1%}  {per_page * 1000:5.0f} ms per page")


if __name__ == "__main__":
    main()
