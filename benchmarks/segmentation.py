"""Segmentation and MNIST-style crops on their own: generated pages, no touching-digit splitting.

    python benchmarks/segmentation.py [--tier clean|photo|hard] [--pages 100] [--seed 1000]
    python benchmarks/segmentation.py --crops 2000

Pages: for every page, ``segment`` → ``to_mnist`` → the shipped model, one digit per blob. Prints the
share of rows with the right number of digits (segmentation alone), of rows read exactly (with the
classifier), of pages whose every row has the right count, and segment() time per page. Touching
digits stay one blob here, so the hard tier measures what the splitter gets to work with.
Crops: MNIST test digits cut as binary masks (as segmentation would), re-normalised by to_mnist and
classified, against the model on MNIST itself.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from digitocr import mnist, synth
from digitocr.classifier import Classifier
from digitocr.normalize import to_mnist
from digitocr.paths import default_mnist_dir, shipped_model_path
from digitocr.segment import segment


def pages(tier: str, count: int, seed: int, classifier: Classifier) -> None:
    digits = synth.test_digits()
    rows_total = rows_counted = rows_read = pages_counted = 0
    seconds = 0.0
    for i in range(count):
        made = synth.page(digits, synth.TIERS[tier], (seed, i))
        image = made.image
        start = time.perf_counter()
        rows = segment(image)
        seconds += time.perf_counter() - start
        crops = np.array([to_mnist(blob.mask) for row in rows for blob in row], np.uint8).reshape(-1, 28, 28)
        labels = iter(classifier.predict(crops).argmax(axis=1))
        read = ["".join(str(next(labels)) for _ in row) for row in rows]
        expected = [text.replace(" ", "") for text in made.rows]
        rows_total += len(expected)
        if len(read) == len(expected):
            rows_counted += sum(len(r) == len(e) for r, e in zip(read, expected))
            rows_read += sum(r == e for r, e in zip(read, expected))
            pages_counted += all(len(r) == len(e) for r, e in zip(read, expected))
    print(f"{tier}: {count} pages, seed {seed}: rows with the right digit count {rows_counted / rows_total:.4f}, "
          f"rows read exactly {rows_read / rows_total:.4f}, pages fully counted {pages_counted / count:.3f}, "
          f"segment {1000 * seconds / count:.0f} ms/page")


def crops(count: int, classifier: Classifier) -> None:
    import cv2

    test = mnist.load(default_mnist_dir())[1]
    images, labels = test.images[:count], test.labels[:count]
    baseline = (classifier.predict(images).argmax(axis=1) == labels).mean()
    print(f"MNIST test digits as they are: {baseline:.4f}")
    for scale in (1, 6):
        masks = [(cv2.resize(im, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) > 127).astype(np.uint8) * 255
                 for im in images]
        accuracy = (classifier.predict(np.array([to_mnist(m) for m in masks])).argmax(axis=1) == labels).mean()
        print(f"binary masks at {scale}x through to_mnist: {accuracy:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tier", choices=sorted(synth.TIERS), default="photo")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--crops", type=int, default=0, help="measure to_mnist on this many MNIST test digits instead")
    args = parser.parse_args()
    classifier = Classifier(shipped_model_path())
    if args.crops:
        crops(args.crops, classifier)
    else:
        pages(args.tier, args.pages, args.seed, classifier)


if __name__ == "__main__":
    main()
