"""Photos with many more pixels than the digits need: generated pages enlarged, read as a whole.

    python benchmarks/big_photos.py [--tier photo] [--pages 40] [--factors 1,2,3]

A phone photo of a sheet has 12 megapixels or more, and the digits on it are often 100 px tall or
taller; the tier pages of eval_tiers.py are the size of a scan, their digits 24 to 76 px tall.
Each page (the same seeds as eval_tiers.py) is enlarged by each factor (cubic; the long side at
most loading.MAX_SIDE, as loading an image leaves it) and read. Prints the rows read exactly per
factor (scored as ``digitocr eval`` scores them), the mean long side and the time per page.
"""
from __future__ import annotations

import argparse

import numpy as np

from common import add_page_arguments, read_pages, reader_and_pages
from digitocr.loading import MAX_SIDE, scaled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_page_arguments(parser, tier="photo", pages=40)
    parser.add_argument("--factors", default="1,2,3", help="comma-separated enlargements")
    args = parser.parse_args()
    reader, pages = reader_and_pages(args)
    for factor in (float(f) for f in args.factors.split(",")):
        side = np.mean([max(made.image.shape[:2]) * enlargement(made.image, factor) for made in pages])
        figures = read_pages(reader, pages, lambda made: scaled(made.image, enlargement(made.image, factor)), f"×{factor:g}")
        print(f"  ×{factor:<4g} long side {side:5.0f} px  {figures}")


def enlargement(image: np.ndarray, factor: float) -> float:
    """``factor``, or less if the long side would exceed what loading an image leaves."""
    return min(factor, MAX_SIDE / max(image.shape[:2]))

if __name__ == "__main__":
    main()
