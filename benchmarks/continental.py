"""How the model reads 1s and 7s written the continental European way, which MNIST rarely shows.

    python benchmarks/continental.py [--model base|PATH] [--model OTHER ...]

Much of Europe crosses the stem of a 7 and starts a 1 with a long up-stroke (a flag); MNIST's
American writers mostly do neither. This draws those strokes onto the MNIST *test* 7s and 1s
(with OpenCV at 4× size) and reports how often each model reads them right, next to the same
digits unchanged, and which digits they are taken for instead. A plain 7 read as 1 (or a 1 as 7)
is what a model taught flags risks. For one writer's style, ``digitocr finetune`` on their own
samples is the tool meant for it: ``finetune_usps.py --styles continental`` measures it.
"""
from __future__ import annotations

import argparse

import cv2
import numpy as np

from digitocr.modelchoice import load_classifier
from common import test_digits_or_exit

SCALE = 4
STROKE = 2.2  # px at 28×28: about MNIST's stroke width


def ink_rows(image: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero((image > 128).any(axis=1))
    return int(rows[0]), int(rows[-1])


def ink_centre(image: np.ndarray, row: int) -> float | None:
    cols = np.flatnonzero(image[row] > 128)
    return float(cols.mean()) if len(cols) else None


def draw(image: np.ndarray, start: tuple[float, float], end: tuple[float, float]) -> np.ndarray:
    """``image`` with a stroke from ``start`` to ``end`` (x, y at 28×28), drawn at 4× and scaled back."""
    big = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_CUBIC)
    point = lambda p: (round(p[0] * SCALE), round(p[1] * SCALE))  # noqa: E731
    cv2.line(big, point(start), point(end), 255, round(STROKE * SCALE), cv2.LINE_AA)
    return cv2.resize(big, (28, 28), interpolation=cv2.INTER_AREA)


def crossed_seven(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    top, bottom = ink_rows(image)
    y = round(top + (bottom - top) * rng.uniform(0.45, 0.6))
    x = ink_centre(image, y)
    if x is None:
        return image
    reach = (bottom - top) * rng.uniform(0.15, 0.3)
    return draw(image, (x - reach, y), (x + reach, y - rng.uniform(-1, 1)))


def flagged_one(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    top, bottom = ink_rows(image)
    x = ink_centre(image, top)
    length, angle = (bottom - top) * rng.uniform(0.25, 0.5), np.radians(rng.uniform(20, 60))
    return draw(image, (x, top), (x - length * np.cos(angle), top + length * np.sin(angle)))


def report(name: str, predicted: np.ndarray, label: int) -> str:
    counts = np.bincount(predicted, minlength=10)
    others = ", ".join(f"{d}: {counts[d]}" for d in np.argsort(-counts) if d != label and counts[d])[:40]
    return f"  {name:16} {np.mean(predicted == label):7.2%}  of {len(predicted)}   read instead: {others or 'none'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", default=None, help="an .onnx file or 'base' (repeatable)")
    args = parser.parse_args()
    digits = test_digits_or_exit()
    rng = np.random.default_rng(0)
    sevens, ones = digits.images[digits.labels == 7], digits.images[digits.labels == 1]
    variants = {"7 as in MNIST": (sevens, 7), "7 crossed": (np.array([crossed_seven(im, rng) for im in sevens]), 7),
                "1 as in MNIST": (ones, 1), "1 with a flag": (np.array([flagged_one(im, rng) for im in ones]), 1)}
    for model in args.model or ["base"]:
        classifier = load_classifier(model)
        accuracy = np.mean(classifier.predict(digits.images).argmax(axis=1) == digits.labels)
        print(f"{model} ({classifier.name}): all MNIST test digits {accuracy:.2%}")
        for name, (images, label) in variants.items():
            print(report(name, classifier.predict(images).argmax(axis=1), label))


if __name__ == "__main__":
    main()
