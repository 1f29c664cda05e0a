"""Classifier throughput through the reading backend (OpenCV DNN on the ONNX model).

    python benchmarks/classifier_speed.py [--model PATH] [--batch 256] [--seconds 5]

Prints crops/second for several batch sizes on MNIST test crops, plus the model's size,
parameters and multiply-adds from its metadata. Target (issue 2): >= 3,000 crops/s.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import cv2

from digitocr import mnist
from digitocr.classifier import Classifier
from digitocr.paths import default_mnist_dir, shipped_model_path


def crops_per_second(classifier: Classifier, crops, seconds: float) -> float:
    classifier.predict(crops)  # warm-up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        classifier.predict(crops)
        done += len(crops)
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=None, help="MNIST folder [default: $DIGITOCR_DATA]")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per batch size")
    args = parser.parse_args()

    classifier = Classifier(args.model or shipped_model_path())
    _, test = mnist.load(args.data or default_mnist_dir())
    meta = classifier.metadata
    print(f"model {classifier.path} ({classifier.path.stat().st_size / 1e6:.2f} MB, "
          f"{meta.get('params', '?')} params, {meta.get('macs', 0) / 1e6:.1f} M MACs/crop)")
    print(f"cpu cores {os.cpu_count()}, OpenCV {cv2.__version__}, threads {cv2.getNumThreads()}")
    for batch in (1, 16, 64, 256, 1024):
        rate = crops_per_second(classifier, test.images[:batch], args.seconds)
        print(f"batch {batch:5d}: {rate:8.0f} crops/s")


if __name__ == "__main__":
    main()
