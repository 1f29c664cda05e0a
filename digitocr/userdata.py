"""The user's labelled handwriting → 28×28 crops made exactly as reading makes them.

Each folder given may hold either or both of:

- subfolders ``0`` … ``9`` of single-digit images (any size, polarity, photo or scan);
- photos of rows of digits, labelled by ``labels.tsv`` or by their file names (see
  :mod:`digitocr.labels`). A photo whose segmentation finds as many digits per row as its label
  has gives every crop its label; any other photo is skipped, since pairing crops with digits
  would be a guess.

Everything goes through the reader's segmentation and ``to_mnist``, so fine-tuning sees the
crops that reading will see. Whatever cannot be used is skipped with one message saying why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .labels import LABELS_FILE, Labelled, read_labels
from .loading import IMAGE_SUFFIXES, ImageError, load_image, with_paper_around
from .mnist import Split
from .normalize import to_mnist
from .segment import Blob, segment

# Single-digit images are scaled to a standard size and surrounded by plenty of paper: segmentation
# estimates the paper from windows a sixth of the image wide, which a digit filling the whole
# picture with a thick pen would otherwise dominate.
SINGLE_SIDE = 128
MARGIN = 1.5  # paper added on each side, as a share of the picture's longer side


class UserDataError(Exception):
    """An input folder does not exist."""


class Unusable(Exception):
    """One file gives no labelled crops; the message says which and why."""


@dataclass
class Collected:
    crops: list[np.ndarray] = field(default_factory=list)  # 28×28 uint8, white digit on black
    labels: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one message per skipped file: which and why

    def add(self, crops: list[np.ndarray], labels: list[int]) -> None:
        self.crops.extend(crops)
        self.labels.extend(labels)

    def counts(self) -> list[int]:
        """Number of samples of each digit 0…9."""
        return np.bincount(np.array(self.labels, dtype=np.int64), minlength=10).tolist()

    def split(self) -> Split:
        return Split(np.array(self.crops, np.uint8).reshape(-1, 28, 28), np.array(self.labels, np.int64))


def collect(folders: list[Path], track: Callable[[list], Iterable] = iter) -> Collected:
    """Crops and labels from every folder; raises UserDataError for a folder that does not exist.

    ``track`` wraps the list of files to read, e.g. with a progress bar.
    """
    collected = Collected()
    reads: list[Callable[[], tuple[list[np.ndarray], list[int]]]] = []
    for folder in folders:
        if not folder.is_dir():
            raise UserDataError(f"{folder} is not a folder")
        digit_folders = [folder / str(d) for d in range(10) if (folder / str(d)).is_dir()]
        for digit_folder in digit_folders:
            for path in sorted(p for p in digit_folder.iterdir() if p.is_file() and not p.name.startswith(".")):
                if _is_image_file(path):
                    reads.append(partial(_read_single_digit, path, int(digit_folder.name)))
                else:
                    collected.skipped.append(f"{path}: not an image file")
        if (folder / LABELS_FILE).is_file() or any(_is_image_file(p) for p in folder.iterdir()):
            labelled, problems = read_labels(folder)
            collected.skipped.extend(problems)
            reads.extend(partial(_read_row_photo, item) for item in labelled)
        elif not digit_folders:
            collected.skipped.append(f"{folder}: no subfolders 0…9, no {LABELS_FILE} and no images")
    for read in track(reads):
        try:
            collected.add(*read())
        except (ImageError, Unusable) as err:
            collected.skipped.append(str(err))
    return collected


def _is_image_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES


def _read_single_digit(path: Path, digit: int) -> tuple[list[np.ndarray], list[int]]:
    crop = single_digit_crop(load_image(path))
    if crop is None:
        raise Unusable(f"{path}: no digit found")
    return [crop], [digit]


def _read_row_photo(item: Labelled) -> tuple[list[np.ndarray], list[int]]:
    rows = segment(load_image(item.path))
    expected = [row.replace(" ", "") for row in item.rows]
    found = [len(row) for row in rows]
    if found != [len(row) for row in expected]:
        raise Unusable(f"{item.path}: found {_describe(found)}, the label has {_describe(map(len, expected))}")
    return [to_mnist(blob.mask) for row in rows for blob in row], [int(d) for row in expected for d in row]


def _describe(digits_per_row) -> str:
    counts = list(digits_per_row)
    return f"{len(counts)} row(s) of {'+'.join(map(str, counts)) or '0'} digits"


def single_digit_crop(image: np.ndarray) -> np.ndarray | None:
    """The crop reading would make of the one digit in ``image`` (None if it finds no ink).

    The digit is the blob with the most ink together with every blob overlapping it horizontally
    (strokes segmentation did not join); other blobs are specks or neighbours cut into the picture.
    """
    blobs = [blob for row in segment(with_paper_around(image, SINGLE_SIDE, MARGIN)[0]) for blob in row]
    if not blobs:
        return None
    main = max(blobs, key=lambda b: np.count_nonzero(b.mask))
    parts = [b for b in blobs if b.box.x < main.box.x + main.box.w and main.box.x < b.box.x + b.box.w]
    return to_mnist(_merge(parts))


def _merge(blobs: list[Blob]) -> np.ndarray:
    """One ink mask covering all ``blobs``."""
    x0, y0 = min(b.box.x for b in blobs), min(b.box.y for b in blobs)
    x1, y1 = max(b.box.x + b.box.w for b in blobs), max(b.box.y + b.box.h for b in blobs)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for b in blobs:
        window = mask[b.box.y - y0:b.box.y - y0 + b.box.h, b.box.x - x0:b.box.x - x0 + b.box.w]
        np.maximum(window, b.mask, out=window)
    return mask
