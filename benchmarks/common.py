"""What several benchmarks share: the MNIST test digits their pages are drawn from, and the tier
pages of eval_tiers.py (the same seeds) with a reader for them."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.progress import track

from digitocr.evaluate import score
from digitocr.mnist import DataError, Split
from digitocr.reader import Reader
from digitocr.synth import TIERS, SynthPage, page, test_digits

SEEDS = {"clean": 1, "photo": 2, "hard": 3}


def test_digits_or_exit(folder: Path | None = None) -> Split:
    """The MNIST test split (from ``folder``, else $DIGITOCR_DATA); a one-line error and exit if unusable."""
    try:
        return test_digits(folder)
    except DataError as err:
        sys.exit(f"error: {err}")


def add_page_arguments(parser: argparse.ArgumentParser, tier: str, pages: int) -> None:
    """``--tier``, ``--pages`` and ``--model``, for a benchmark that reads tier pages."""
    parser.add_argument("--tier", choices=list(TIERS), default=tier)
    parser.add_argument("--pages", type=int, default=pages)
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")


def reader_and_pages(args: argparse.Namespace) -> tuple[Reader, list[SynthPage]]:
    """A reader of ``args.model`` and the first ``args.pages`` pages of ``args.tier``; says which."""
    digits = test_digits_or_exit()
    reader = Reader(args.model)
    pages = [page(digits, TIERS[args.tier], (SEEDS[args.tier], i)) for i in range(args.pages)]
    print(f"{args.tier} tier, {args.pages} pages, model {reader.classifier.name}")
    return reader, pages


def read_pages(reader: Reader, pages: list[SynthPage], photo_of: Callable[[SynthPage], np.ndarray],
               description: str) -> str:
    """Reads ``photo_of`` each page: the rows read exactly (scored as ``digitocr eval`` scores
    them) and the reading time per page, as one line of figures."""
    exact = rows = 0
    seconds = 0.0
    for made in track(pages, description=description, transient=True):
        photo = photo_of(made)
        started = time.perf_counter()
        texts = reader.read(photo).texts()
        seconds += time.perf_counter() - started
        result = score("", [text.replace(" ", "") for text in made.rows], texts)
        exact, rows = exact + result.rows_exact, rows + len(result.expected)
    return f"rows exact {exact:4d}/{rows}  {exact / rows:6.1%}  {seconds / len(pages) * 1000:5.0f} ms per page"
