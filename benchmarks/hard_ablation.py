"""What each recognition-based step of issue 5 adds on a labelled folder (e.g. the hard tier).

    python scripts/make_pages.py --tier hard --count 60 --seed 3 --out /tmp/hard
    python benchmarks/hard_ablation.py /tmp/hard

Evaluates the folder four times with one model: the plain pipeline (no touching-digit split,
no separator filter, no orientation detection), then adding split, the separator filter, and
``--rotate auto`` in turn. Same metrics as ``digitocr eval``.
"""
from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from digitocr import marks, split
from digitocr.evaluate import evaluate
from digitocr.labels import read_labels
from digitocr.reader import Reader
from digitocr.workers import read_all

STEPS = ("plain", "+ split touching digits", "+ separator filter", "+ rotate auto")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")
    args = parser.parse_args()
    items, problems = read_labels(args.folder)
    trigger, remove = split.TRIGGER_WIDTH, marks.remove
    print(f"{args.folder}: {len(items)} labelled images, {len(problems)} label problems")
    for step, name in enumerate(STEPS):
        split.TRIGGER_WIDTH = trigger if step >= 1 else float("inf")  # no blob is wide enough to split
        marks.remove = remove if step >= 2 else (lambda rows: rows)
        reader = Reader(args.model, rotate=None if step >= 3 else 0)
        # In this process only: the steps are switched off by patching modules, which workers would not see.
        report = evaluate(items, partial(read_all, reader, jobs=1))
        print(f"{name:26s} row exact {report.row_exact:6.1%}  image exact {report.image_exact:6.1%}  "
              f"ANLD {report.anld:.4f}  CER {report.cer:.4f}  {report.images_per_second:.2f} images/s")


if __name__ == "__main__":
    main()
