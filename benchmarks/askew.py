"""Photos taken with the phone held askew: generated pages turned by a few angles, read as a whole.

    python benchmarks/askew.py [--tier clean] [--pages 40] [--angles 0,10,-10,20,-20,30,-30]

Each page (the same seeds as eval_tiers.py) is turned counter-clockwise by each angle on a canvas
that holds all of it, the uncovered corners filled with the photo's border colour, as a photo of
the page taken with the phone turned would be. Prints the rows read exactly per angle (scored as
``digitocr eval`` scores them) and the time per page.
"""
from __future__ import annotations

import argparse

from common import add_page_arguments, read_pages, reader_and_pages
from digitocr import level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_page_arguments(parser, tier="clean", pages=40)
    parser.add_argument("--angles", default="0,10,-10,20,-20,30,-30", help="degrees, counter-clockwise")
    args = parser.parse_args()
    reader, pages = reader_and_pages(args)
    for degrees in (float(a) for a in args.angles.split(",")):
        figures = read_pages(reader, pages, lambda made: level.turned(made.image, degrees)[0] if degrees else made.image,
                             f"{degrees:+.0f}°")
        print(f"  {degrees:+5.0f}°  {figures}")

if __name__ == "__main__":
    main()
