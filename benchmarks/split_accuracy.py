"""Touching-digit splitting on MNIST digits pushed together until they touch (tests/touching.py).

    python benchmarks/split_accuracy.py [--count 300] [--split test|train]

Prints, for wide single digits (at least as wide as split's trigger), touching pairs, pairs
overlapping by 2-9 px (of 40), those of them no wider than one digit, and touching triples and
fours: how often the blob is read as the right number of digits, and as exactly the right digits,
by the cut paths alone and with the pair model's readings competing (as the reader does).
The split's scoring weights were tuned with ``--split train``; report ``--split test``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from touching import as_blob, read_blobs, samples  # noqa: E402

from digitocr import mnist, split  # noqa: E402
from digitocr.modelchoice import load_classifier  # noqa: E402
from digitocr.pairs import load_pair_model  # noqa: E402
from digitocr.paths import default_mnist_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="samples per kind")
    parser.add_argument("--split", choices=("test", "train"), default="test", help="MNIST digits to build from")
    parser.add_argument("--model", default="base", help="an .onnx file or 'base'")
    args = parser.parse_args()
    train, test = mnist.load(default_mnist_dir())
    digits = test if args.split == "test" else train
    classifier = load_classifier(args.model)
    # Wide singles always reach the splitter, narrow ones only when read unsurely.
    wide = [s for s in samples(digits, 6 * args.count, 1, seed=1)
            if s[0].shape[1] >= split.TRIGGER_WIDTH * s[0].shape[0]][:args.count]
    kinds = {"wide single digits": wide, "touching pairs": samples(digits, args.count, 2, seed=2),
             "overlapping pairs": samples(digits, args.count, 2, seed=4, overlaps=(2, 10)),
             "... as narrow as one": samples(digits, args.count, 2, seed=5, overlaps=(2, 10), narrow=True),
             "touching triples": samples(digits, args.count, 3, seed=3),
             "touching fours": samples(digits, args.count, 4, seed=6)}
    pair_model = load_pair_model()
    print(f"model {classifier.name}, MNIST {args.split} digits; right count / right digits by cuts alone | with the pair model")
    for kind, found in kinds.items():
        figures = []
        for pairs in (None, pair_model):
            started = time.perf_counter()
            read = read_blobs([as_blob(ink) for ink, _ in found], classifier, pairs)
            seconds = time.perf_counter() - started
            count = sum(len(r) == len(label) for r, (_, label) in zip(read, found)) / len(found)
            exact = sum(r == label for r, (_, label) in zip(read, found)) / len(found)
            figures.append(f"{count:6.1%} {exact:6.1%} {1000 * seconds / len(found):5.1f} ms/blob")
        print(f"{kind:20s} n={len(found):4d}  {'  |  '.join(figures)}")

if __name__ == "__main__":
    main()
