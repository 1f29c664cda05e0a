"""Digits in styles other than MNIST's, one per photo: USPS handwriting, printed fonts, seven segments.

    python benchmarks/styles.py [--count 500] [--model base]

Each photo holds one digit (as ``finetune_usps.py`` draws them: USPS test digits as a scan shows
them, OpenCV's Hershey fonts, seven-segment displays); it is right when exactly that one digit is
read. A model trained on one style can lose another, so a change of training is checked here too.
On 2026-11-24 (500 each), the MNIST-only model → the model also trained on page crops: USPS 92.6% →
93.4%, printed 75.4% → 74.0%, seven-segment 70.4% → 73.8%.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rich.progress import track

from digitocr.reader import Reader
from finetune_usps import REPO, hershey_renders, load_usps, segment_renders, usps_scan


def usps_photos(folder: Path) -> tuple[list[np.ndarray], np.ndarray]:
    images, labels = load_usps(folder / "zip.test.gz")
    return [usps_scan(image) for image in images], labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500, help="photos per style")
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")
    parser.add_argument("--usps-dir", type=Path, default=REPO.parent / "shared" / "data" / "usps")
    args = parser.parse_args()
    reader = Reader(args.model)
    styles = {"USPS handwriting": lambda: usps_photos(args.usps_dir),
              "printed (Hershey fonts)": lambda: hershey_renders(np.random.default_rng(0)),
              "seven-segment": lambda: segment_renders(np.random.default_rng(0))}
    for name, photos in styles.items():
        images, labels = photos()
        picked = np.random.default_rng(1).permutation(len(images))[:args.count]
        one = right = 0
        for i in track(picked, description=name, transient=True):
            digits = [digit.label for row in reader.read(images[i]).rows for digit in row.digits]
            one += len(digits) == 1
            right += digits == [str(labels[i])]
        print(f"{name:24} {right / len(picked):6.1%} read as exactly that digit "
              f"({one / len(picked):.1%} as one digit) of {len(picked)}")


if __name__ == "__main__":
    main()
