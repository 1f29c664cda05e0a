"""MNIST without torchvision: locate, verify, download and parse the four IDX ``.gz`` files."""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The original distribution files and their well-known MD5 checksums.
FILES = {
    "train-images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train-labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test-images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test-labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}
DEFAULT_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


class DataError(Exception):
    """The MNIST folder is missing, incomplete or corrupt; the message says what to do."""


@dataclass
class Split:
    images: np.ndarray  # N×28×28 uint8, white digit on black
    labels: np.ndarray  # N int64 in 0..9


def md5sum(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_idx(path: Path, magic: int) -> np.ndarray:
    """Decode one gzipped IDX file, checking the magic number and the payload length."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:
        raise DataError(f"{path} is not a readable gzip file ({err}); delete it and download again") from err
    ndim = 3 if magic == IMAGES_MAGIC else 1
    header = 4 + 4 * ndim
    if len(raw) < header or struct.unpack(">I", raw[:4])[0] != magic:
        raise DataError(f"{path} is not an MNIST IDX file (bad header); delete it and download again")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise DataError(f"{path} is truncated ({len(raw) - header} of {expected} bytes); delete it and download again")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def verify(folder: Path | str) -> None:
    """Raise DataError unless all four files are present with the right checksums."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"MNIST folder {folder} does not exist; pass --data DIR, set DIGITOCR_DATA, or use --download")
    for name, md5 in FILES.values():
        path = folder / name
        if not path.is_file():
            raise DataError(f"{path} is missing; pass --data DIR, set DIGITOCR_DATA, or use --download")
        if md5sum(path) != md5:
            raise DataError(f"{path} has a wrong checksum (corrupt or not the original file); delete it and use --download")


def load(folder: Path | str) -> tuple[Split, Split]:
    """The verified training and test splits from ``folder``."""
    folder = Path(folder)
    verify(folder)
    splits = []
    for part in ("train", "test"):
        images = parse_idx(folder / FILES[f"{part}-images"][0], IMAGES_MAGIC)
        labels = parse_idx(folder / FILES[f"{part}-labels"][0], LABELS_MAGIC)
        if len(images) != len(labels) or images.shape[1:] != (28, 28) or labels.max(initial=0) > 9:
            raise DataError(f"{folder}: {part} images and labels do not match; delete the files and download again")
        splits.append(Split(images, labels.astype(np.int64)))
    return splits[0], splits[1]


def mirrors() -> tuple[str, ...]:
    """Base URLs to try in order: ``$DIGITOCR_MNIST_MIRRORS`` (space-separated) or the public mirrors."""
    custom = os.environ.get("DIGITOCR_MNIST_MIRRORS", "").split()
    return tuple(url if url.endswith("/") else url + "/" for url in custom) or DEFAULT_MIRRORS


def download(folder: Path, timeout: float = 60.0) -> None:
    """Fetch whichever files are missing or wrong, verifying each MD5 before it is kept."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, md5 in FILES.values():
        target = folder / name
        if target.is_file() and md5sum(target) == md5:
            continue
        errors = []
        for mirror in mirrors():
            try:
                _fetch(mirror + name, target, md5, timeout)
                break
            except (OSError, DataError) as err:
                errors.append(f"{mirror}: {err}")
        else:
            raise DataError(f"could not download {name}: " + "; ".join(errors))


def _fetch(url: str, target: Path, md5: str, timeout: float) -> None:
    # Download beside the target and rename only once the checksum is right,
    # so an interrupted download never leaves a file that looks complete.
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
        tmp_path = Path(tmp.name)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                shutil.copyfileobj(response, tmp)
        except BaseException:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
            raise
    if md5sum(tmp_path) != md5:
        tmp_path.unlink(missing_ok=True)
        raise DataError(f"checksum mismatch for {url}")
    tmp_path.replace(target)
