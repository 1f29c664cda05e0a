"""Reading accuracy and speed on generated pages, per difficulty tier (issue 5's targets).

    python benchmarks/eval_tiers.py [--pages 300] [--out DIR] [--model PATH|base] [--worst 5] [--json FILE]

Generates ``--pages`` pages per tier with fixed seeds (clean: 1, photo: 2, hard: 3) and
evaluates each folder in one go with one Reader — the same as

    python scripts/make_pages.py --tier photo --count 300 --seed 2 --out DIR/photo
    digitocr eval DIR/photo

Targets: rows exactly right clean ≥ 98%, photo ≥ 96%, hard ≥ 92% with ANLD ≤ 0.015;
every tier ≥ 4 images/s. The "ceiling" column is the row exact-match expected if the only
errors were the model's own on MNIST test digits (its test accuracy to the power of each
row's length, averaged over rows): segmentation cannot beat it, and it shows how much of
the gap is the model's.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from digitocr.evaluate import Report, align_rows, evaluate
from digitocr.labels import read_labels
from digitocr.reader import Reader
from digitocr.synth import TIERS, write_pages
from digitocr.workers import default_jobs, read_all
from common import SEEDS, test_digits_or_exit

TARGETS = {"clean": 0.98, "photo": 0.96, "hard": 0.92}


def ceiling(report: Report, digit_accuracy: float | None) -> str:
    if not digit_accuracy or not report.rows:
        return "?"
    rows = [len(row) for s in report.scores for row in s.expected]
    return f"{sum(digit_accuracy ** n for n in rows) / len(rows):.2%}"


def error_kinds(report: Report) -> Counter:
    """What went wrong in each wrong row: a row lost or invented (row finding), too many or too
    few digits (segmentation: splits, merges, specks, lost strokes), or the right number of
    digits with some misread (classification)."""
    kinds = Counter()
    for s in report.scores:
        for expected, read in align_rows(s.expected, s.read):
            if expected == read:
                continue
            if expected is None or read is None:
                kinds["extra row" if expected is None else "missing row"] += 1
            elif len(read) != len(expected):
                kinds["too many digits" if len(read) > len(expected) else "too few digits"] += 1
            else:
                kinds["misread digits"] += 1
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages per tier")
    parser.add_argument("--out", type=Path, default=None, help="keep the pages here [default: a temporary folder]")
    parser.add_argument("--tiers", default=",".join(TIERS), help="comma-separated, e.g. clean,hard")
    parser.add_argument("--model", default=None, help="an .onnx file or 'base' [default: as digitocr read]")
    parser.add_argument("--data", type=Path, default=None, help="MNIST folder [default: $DIGITOCR_DATA]")
    parser.add_argument("--worst", type=int, default=5, help="list this many of the worst files per tier")
    parser.add_argument("--json", type=Path, default=None, help="also write every tier's full report here")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="worker processes reading [default: one per core]")
    args = parser.parse_args()

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 130)  # a log file gets the whole table
    digits = test_digits_or_exit(args.data)
    reader = Reader(args.model)
    accuracy = reader.classifier.metadata.get("test_accuracy")
    with tempfile.TemporaryDirectory() as scratch:
        root = args.out or Path(scratch)
        reports = {}
        for tier in args.tiers.split(","):
            folder = root / tier
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(f"{tier}: making pages", total=args.pages)
                write_pages(folder, digits, TIERS[tier], args.pages, SEEDS[tier], advance=lambda: progress.advance(task))
                items, _ = read_labels(folder)  # freshly written: no problems
                task = progress.add_task(f"{tier}: reading", total=len(items))
                reports[tier] = evaluate(items, partial(read_all, reader, jobs=args.jobs), advance=lambda: progress.advance(task))
            for s in reports[tier].worst(args.worst):
                console.print(f"[dim]{tier} worst:[/] {s.path}  expected {'|'.join(s.expected)}  read {'|'.join(s.read)}", soft_wrap=True)

    table = Table(title=f"digitocr on generated pages · model {reader.classifier.name}", title_justify="left")
    for column in ("tier", "pages", "rows", "row exact", "target", "ceiling", "image exact", "ANLD", "CER", "images/s"):
        table.add_column(column, justify="left" if column == "tier" else "right")
    for tier, r in reports.items():
        met = r.row_exact >= TARGETS[tier] and (tier != "hard" or r.anld <= 0.015)
        table.add_row(tier, str(r.images), str(r.rows), f"[{'green' if met else 'red'}]{r.row_exact:.2%}[/]",
                      f"{TARGETS[tier]:.0%}", ceiling(r, accuracy), f"{r.image_exact:.2%}", f"{r.anld:.4f}",
                      f"{r.cer:.2%}", f"{r.images_per_second:.1f}")
    console.print(table)
    for tier, r in reports.items():
        kinds = ", ".join(f"{kind} {count}" for kind, count in error_kinds(r).most_common())
        console.print(f"{tier} wrong rows: {kinds or 'none'}")
    if args.json:
        args.json.write_text(json.dumps({tier: r.to_dict() for tier, r in reports.items()}, indent=1))


if __name__ == "__main__":
    main()
