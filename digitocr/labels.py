"""Labelled folders: which rows each image should read as.

A folder is labelled by a ``labels.tsv`` file, one image per line::

    path<TAB>row1|row2|…

``path`` is relative to the folder; rows are listed top to bottom and hold digits, with a
space where the row has a wide gap (``0612 345 678``). An empty field means a blank page.
Blank lines and lines starting with ``#`` are ignored.

Without ``labels.tsv`` the file names are the labels: the stem holds the rows separated by
``_`` (``40729183_1250.jpg`` is two rows), optionally followed by ``-`` and anything that
keeps names apart (``1250-2.jpg``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .loading import IMAGE_SUFFIXES

LABELS_FILE = "labels.tsv"
ROW = re.compile(r"[0-9]+( [0-9]+)*")
STEM = re.compile(r"(?P<rows>[0-9]+(?:_[0-9]+)*)(?:-.*)?")


@dataclass(frozen=True)
class Labelled:
    path: Path
    rows: list[str]


def read_labels(folder: Path) -> tuple[list[Labelled], list[str]]:
    """The labelled images of ``folder`` and one message per problem found (those entries are skipped)."""
    labels_file = folder / LABELS_FILE
    if labels_file.is_file():
        return _from_labels_file(folder, labels_file)
    return _from_file_names(folder)


def _from_labels_file(folder: Path, labels_file: Path) -> tuple[list[Labelled], list[str]]:
    items, problems, seen = [], [], set()
    try:
        lines = labels_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        return [], [f"{labels_file}: cannot read ({err})"]
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{labels_file}:{number}"
        name, tab, field = line.partition("\t")
        rows = field.split("|") if field else []
        if not tab or not name:
            problems.append(f"{where}: expected 'path<TAB>row1|row2|…', got {line!r}")
        elif not all(ROW.fullmatch(row) for row in rows):
            problems.append(f"{where}: rows must be digits (single spaces allowed inside), got {field!r}")
        elif name in seen:
            problems.append(f"{where}: {name} is labelled twice; the first label is used")
        elif not (folder / name).is_file():
            problems.append(f"{where}: image {folder / name} does not exist")
        else:
            seen.add(name)
            items.append(Labelled(folder / name, rows))
    return items, problems


def _from_file_names(folder: Path) -> tuple[list[Labelled], list[str]]:
    images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if not images:
        return [], [f"{folder}: no {LABELS_FILE} and no images whose names could serve as labels"]
    items, problems = [], []
    for path in images:
        match = STEM.fullmatch(path.stem)
        if match:
            items.append(Labelled(path, match["rows"].split("_")))
        else:
            problems.append(f"{path}: no {LABELS_FILE} in the folder and the name is not rows of digits "
                            "separated by '_' (like 40729183_1250.jpg)")
    return items, problems


def write_labels(folder: Path, entries: list[tuple[str, list[str]]]) -> Path:
    """Write ``folder/labels.tsv`` for (relative path, rows) entries."""
    target = folder / LABELS_FILE
    target.write_text("".join(f"{path}\t{'|'.join(rows)}\n" for path, rows in entries), encoding="utf-8")
    return target
