"""Where digits go wrong on generated pages, judged against each digit's true box.

    python benchmarks/digit_errors.py [--tier hard] [--pages 300] [--model base]

Row exact-match says how often a row is wrong, not why. The generator knows where every digit
is, so each digit read can be matched to the digit drawn under it (by box centres):

    right      one digit read there, the right one
    misread    one digit read there, a wrong one (a damaged crop, or the model's own error)
    merged     one digit read over two or more drawn digits (touching digits not split)
    split      two or more digits read over one drawn digit
    dropped    nothing read there (lost to the threshold, or taken for a mark or clutter)
    clutter    digits read where no digit is drawn (desk, rules, specks, paper edges)

Pages are the same as ``eval_tiers.py`` makes (same seeds).
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np
from rich.progress import track

from digitocr.reader import Reader
from digitocr.results import Box
from digitocr.synth import TIERS, page
from digitocr.synth.matching import match
from common import SEEDS, test_digits_or_exit


def judge(drawn: list[tuple[str, Box]], read: list[tuple[str, Box]], model_errors: set[int] = frozenset()) -> Counter:
    """Counts of the kinds above for one page; ``model_errors``: the drawn digits (indices) whose
    MNIST image the model misreads."""
    kinds: Counter = Counter()
    matches = match([box for _, box in drawn], [box for _, box in read])
    merged = {i for m in matches if len(m.covers) >= 2 for i in m.covers}
    for m in matches:
        kinds["merged"] += len(m.covers) if len(m.covers) >= 2 else 0
        kinds["clutter"] += m.owner is None
    for i, (label, _) in enumerate(drawn):
        if i in merged:
            continue
        over = [text for (text, _), m in zip(read, matches) if m.owner == i]
        kind = "dropped" if not over else "split" if len(over) >= 2 else "right" if over[0] == label else "misread"
        kinds[kind] += 1
        kinds["misread alone too"] += kind == "misread" and i in model_errors
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tier", choices=list(TIERS), default="hard")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")
    args = parser.parse_args()
    digits = test_digits_or_exit()
    reader = Reader(args.model)
    misread_alone = set(np.flatnonzero(reader.classifier.predict(digits.images).argmax(axis=1) != digits.labels).tolist())
    kinds: Counter = Counter()
    for i in track(range(args.pages), description=f"{args.tier} pages", transient=True):
        made = page(digits, TIERS[args.tier], (SEEDS[args.tier], i))
        drawn = [(label, box) for text, boxes in zip(made.rows, made.boxes) for label, box in zip(text.replace(" ", ""), boxes)]
        read = [(digit.label, digit.box) for row in reader.read(made.image).rows for digit in row.digits]
        sources = [source for row in made.sources for source in row]
        kinds += judge(drawn, read, {i for i, source in enumerate(sources) if source in misread_alone})
    total = sum(kinds[kind] for kind in ("right", "misread", "merged", "split", "dropped"))
    print(f"{args.tier}: {total} digits drawn on {args.pages} pages")
    for kind in ("right", "misread", "merged", "split", "dropped"):
        print(f"  {kind:8} {kinds[kind]:6}  {kinds[kind] / max(total, 1):7.2%}")
    print(f"  clutter  {kinds['clutter']:6}  digits read where none is drawn")
    print(f"  of the misread, {kinds['misread alone too']} are the model's own: it misreads their MNIST image too "
          f"({len(misread_alone)} of the {len(digits.labels)} test digits)")


if __name__ == "__main__":
    main()
