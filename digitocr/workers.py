"""Reading many images on every CPU core: worker processes, each with its own Reader.

Reading one image is mostly single-threaded NumPy and OpenCV work, so a folder of photos reads
about 1.5 times faster on 2 cores with a worker per core (benchmarks/read_speed.py). Pages come
back in the order of the sources. A few images, or ``jobs=1``, are read in this process: starting
a worker (a fresh interpreter importing OpenCV and NumPy) costs about as much as reading three.
Cutting training crops from generated pages (pagecrops.py) shares the worker pool. Workers are
spawned, so a script using them must guard its entry point (``if __name__ == "__main__":``).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from .loading import ImageError, load_image
from .reader import Reader
from .results import Page

IMAGES_PER_WORKER = 4  # fewer images than this per worker are not worth starting it for
MAX_JOBS = 8


@dataclass
class Outcome:
    """What became of one source: its page, or why it could not be loaded."""
    source: str
    page: Page | None = None
    error: str = ""
    image: np.ndarray | None = None  # the image read, when asked for (to annotate it)


def default_jobs() -> int:
    """One worker per CPU core this process may use, at most MAX_JOBS."""
    return max(1, min(len(os.sched_getaffinity(0)), MAX_JOBS))


def read_all(reader: Reader, sources: list[str], jobs: int, keep_images: bool = False) -> Iterator[Outcome]:
    """Each source read (``-`` is standard input), in order, by up to ``jobs`` worker processes."""
    workers = min(jobs, len(sources) // IMAGES_PER_WORKER)
    if workers <= 1 or "-" in sources:  # (standard input belongs to this process)
        return (read_one(reader, source, keep_images) for source in sources)
    return in_workers(_read_in_worker, sources, workers, _start_reader, (reader.model, reader.rotate, keep_images))


def read_one(reader: Reader, source: str, keep_image: bool = False) -> Outcome:
    try:
        image = load_image(source)
    except ImageError as err:
        return Outcome(source, error=str(err))
    return Outcome(source, reader.read(image, source), image=image if keep_image else None)


def in_workers(work: Callable, items: Iterable, workers: int, start: Callable, start_args: tuple) -> Iterator:
    """``work(item)`` for each item, in order, in ``workers`` processes each set up by ``start(*start_args)``
    (module-level functions: they are sent to the workers by name)."""
    # Spawned, not forked: OpenCV's thread pool, already running here, does not survive a fork.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                               initargs=(start, start_args))
    try:
        yield from pool.map(work, items)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on an error or Ctrl-C, skip the items not begun


def _start_worker(start: Callable, start_args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # One thread each: the workers already fill the cores, and OpenCV's own threads (the DNN
    # forward pass, resizes) would only make them take turns (hard pages: 4.2 against 4.0 images/s).
    cv2.setNumThreads(1)
    start(*start_args)


_reader: tuple[Reader, bool] | None = None  # this worker process's Reader, and whether to return images


def _start_reader(model, rotate: int | None, keep_images: bool) -> None:
    global _reader
    _reader = Reader(model, rotate), keep_images


def _read_in_worker(source: str) -> Outcome:
    reader, keep_images = _reader
    return read_one(reader, source, keep_images)
