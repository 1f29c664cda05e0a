"""Fine-tuning on real style shifts: USPS handwriting and printed digits (OpenCV Hershey fonts).

For each style, up to --per-digit samples per digit are drawn the way a user's scan would look
(dark ink on white paper, several times larger than the model's input), saved as a folder tree
0/…9/ and given to ``digitocr finetune`` as a user would. The held-out images of that style go
through the same single-digit path (segmentation + to_mnist) and are classified through the
reading backend (ONNX via OpenCV) by the shipped model, the fine-tuned model, and the fine-tuned
model with base re-scoring that ``digitocr read`` uses by default. Prints accuracy before and
after, MNIST test accuracy before and after, and the wall and CPU time of the whole finetune command (CPU time tells what it costs on a busy machine).

    python benchmarks/finetune_usps.py [--per-digit 30] [--usps DIR] [--data DIR]

USPS (see ../shared/data/usps/SOURCE.md): 16×16 grey in [-1, 1], -1 = white paper. Fine-tuned on
samples of zip.train, measured on all 2,007 of zip.test. Hershey: every font × italic × several
thicknesses and sizes with a slight random rotation; 100 renders per digit, split into a
fine-tuning part and a held-out part. Continental: MNIST digits whose 1s start with a flag and
whose 7s are crossed (the strokes of continental.py), a European writer's style; fine-tuned on
*training* digits, measured on 100 *test* digits per class.
"""
from __future__ import annotations

import argparse
import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from digitocr import mnist
from digitocr.classifier import Classifier
from digitocr.modelchoice import RescoringClassifier
from digitocr.paths import default_mnist_dir, shipped_model_path
from digitocr.userdata import single_digit_crop
from continental import crossed_seven, flagged_one

REPO = Path(__file__).resolve().parent.parent
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
         cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_COMPLEX_SMALL, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
         cv2.FONT_HERSHEY_SCRIPT_COMPLEX]
RENDERS_PER_DIGIT = 100
# Seven-segment displays (meters, clocks, calculators): segments a (top), b c (right, top to bottom),
# d (bottom), e f (left, bottom to top), g (middle), as (x0, y0, x1, y1) on a 1×2 cell.
SEGMENTS = {"a": (0, 0, 1, 0), "b": (1, 0, 1, 1), "c": (1, 1, 1, 2), "d": (0, 2, 1, 2),
            "e": (0, 1, 0, 2), "f": (0, 0, 0, 1), "g": (0, 1, 1, 1)}
LIT = ["abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"]


def load_usps(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(path, "rt") as f:
        rows = np.loadtxt(f, dtype=np.float32)
    return rows[:, 1:].reshape(-1, 16, 16), rows[:, 0].astype(np.int64)


def usps_scan(grey: np.ndarray) -> np.ndarray:
    """A 16×16 USPS digit as a scan would show it: 64×64 dark ink on white paper with a margin."""
    ink = cv2.resize((grey + 1) / 2, (64, 64), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    return np.pad((255 * (1 - ink)).astype(np.uint8), 16, constant_values=255)


def continental_scans(split: mnist.Split, picks: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """The picked MNIST digits as scans (see usps_scan), their 1s flagged and 7s crossed."""
    styled = {1: flagged_one, 7: crossed_seven}
    images = [styled.get(int(split.labels[i]), lambda image, _: image)(split.images[i], rng) for i in picks]
    return [usps_scan(image / 127.5 - 1) for image in images]


def hershey_renders(rng: np.random.Generator) -> tuple[list[np.ndarray], np.ndarray]:
    """RENDERS_PER_DIGIT printed renders of every digit: random font, italic, thickness, size, rotation."""
    images, labels = [], []
    for digit in range(10):
        for _ in range(RENDERS_PER_DIGIT):
            font = int(rng.choice(FONTS)) | (cv2.FONT_ITALIC if rng.random() < 0.3 else 0)
            scale, thickness = rng.uniform(1.5, 3.5), int(rng.integers(1, 5))
            (w, h), base = cv2.getTextSize(str(digit), font, scale, thickness)
            canvas = np.full((h + base + 40, w + 40), 255, np.uint8)
            cv2.putText(canvas, str(digit), (20, h + 20), font, scale, 0, thickness, cv2.LINE_AA)
            images.append(rotated(canvas, rng.uniform(-6, 6)))
            labels.append(digit)
    return images, np.array(labels)


def segment_renders(rng: np.random.Generator) -> tuple[list[np.ndarray], np.ndarray]:
    """RENDERS_PER_DIGIT seven-segment digits: random size, stroke, gaps between segments, slant, rotation."""
    images, labels = [], []
    for digit in range(10):
        for _ in range(RENDERS_PER_DIGIT):
            unit, stroke = rng.uniform(20, 40), rng.uniform(0.12, 0.25)
            gap, slant = rng.uniform(0.0, 0.15), rng.uniform(0.0, 0.2)
            canvas = np.full((int(2 * unit) + 60, int(1.5 * unit) + 60), 255, np.uint8)
            for name in LIT[digit]:
                x0, y0, x1, y1 = SEGMENTS[name]
                # Shorten each segment at both ends (the gaps of real displays), then slant the cell.
                dx, dy = (x1 - x0) * gap, (y1 - y0) * gap
                ends = [(x0 + dx, y0 + dy), (x1 - dx, y1 - dy)]
                points = [(int(30 + unit * (x + slant * (2 - y))), int(30 + unit * y)) for x, y in ends]
                cv2.line(canvas, points[0], points[1], 0, max(1, int(stroke * unit)), cv2.LINE_AA)
            images.append(rotated(canvas, rng.uniform(-4, 4)))
            labels.append(digit)
    return images, np.array(labels)


def rotated(canvas: np.ndarray, degrees: float) -> np.ndarray:
    centre = (canvas.shape[1] / 2, canvas.shape[0] / 2)
    turn = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    return cv2.warpAffine(canvas, turn, canvas.shape[::-1], borderValue=255)


def split_per_digit(labels: np.ndarray, per_digit: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_digit`` random samples of every digit."""
    return np.concatenate([rng.choice(np.flatnonzero(labels == d), per_digit, replace=False) for d in range(10)])


def write_tree(folder: Path, images: list[np.ndarray], labels: np.ndarray) -> None:
    for i, (image, label) in enumerate(zip(images, labels)):
        (folder / str(label)).mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(folder / str(label) / f"{i:05d}.png"), image)


def crops_of(images: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-style crops of the images in which segmentation finds a digit, and which images those are."""
    crops = [single_digit_crop(image) for image in images]
    found = np.array([c is not None for c in crops])
    return np.array([c for c in crops if c is not None], np.uint8).reshape(-1, 28, 28), found


def accuracy(classifier, crops: np.ndarray, labels: np.ndarray) -> float:
    return float((classifier.predict(crops).argmax(axis=1) == labels).mean())


def run_style(name: str, train_images, train_labels, test_images, test_labels, data_dir: Path, mnist_test) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        samples, out = Path(tmp) / "samples", Path(tmp) / "model" / "finetuned"
        write_tree(samples, train_images, train_labels)
        started, cpu_before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [sys.executable, "-m", "digitocr", "finetune", str(samples), "--out", str(out), "--data", str(data_dir)]
        subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
        base = Classifier(shipped_model_path())
        tuned = Classifier(out.with_suffix(".onnx"))
        models = {"shipped": base, "fine-tuned": tuned, "fine-tuned + re-scoring": RescoringClassifier(tuned, base)}
        crops, found = crops_of(test_images)
        labels = test_labels[found]
        print(f"\n{name}: fine-tuned on {len(train_labels)} images, held-out {len(test_labels)} "
              f"({(~found).sum()} without a digit found count as wrong); finetune command {seconds:.0f} s wall, "
              f"{cpu:.0f} s CPU")
        for label, classifier in models.items():
            held = accuracy(classifier, crops, labels) * found.mean()
            print(f"  {label:26s} held-out {held:7.2%}   MNIST test {accuracy(classifier, mnist_test.images, mnist_test.labels):7.2%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-digit", type=int, default=30, help="fine-tuning samples per digit")
    parser.add_argument("--styles", default="usps,hershey,segments,continental", help="comma-separated styles to run")
    parser.add_argument("--usps", type=Path, default=REPO.parent / "shared" / "data" / "usps")
    parser.add_argument("--data", type=Path, default=default_mnist_dir(), help="MNIST folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    styles = args.styles.split(",")
    _, mnist_test = mnist.load(args.data)

    if "usps" in styles:
        rng = np.random.default_rng([args.seed, 0])
        train_grey, train_labels = load_usps(args.usps / "zip.train.gz")
        test_grey, test_labels = load_usps(args.usps / "zip.test.gz")
        pick = split_per_digit(train_labels, args.per_digit, rng)
        run_style("USPS", [usps_scan(g) for g in train_grey[pick]], train_labels[pick],
                  [usps_scan(g) for g in test_grey], test_labels, args.data, mnist_test)
    for number, (style, name, render) in enumerate((("hershey", "Hershey printed digits", hershey_renders),
                                                    ("segments", "seven-segment display digits", segment_renders)), 1):
        if style in styles:
            rng = np.random.default_rng([args.seed, number])  # each style the same whichever others run
            images, labels = render(rng)
            pick = split_per_digit(labels, args.per_digit, rng)
            rest = np.setdiff1d(np.arange(len(labels)), pick)
            run_style(name, [images[i] for i in pick], labels[pick], [images[i] for i in rest], labels[rest],
                      args.data, mnist_test)
    if "continental" in styles:
        rng = np.random.default_rng([args.seed, 3])
        train, _ = mnist.load(args.data)
        pick, held_out = split_per_digit(train.labels, args.per_digit, rng), split_per_digit(mnist_test.labels, 100, rng)
        run_style("continental 1s and 7s", continental_scans(train, pick, rng), train.labels[pick],
                  continental_scans(mnist_test, held_out, rng), mnist_test.labels[held_out], args.data, mnist_test)


if __name__ == "__main__":
    main()
