"""Reading many images in worker processes gives what reading them one by one gives, in order."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import cv2
import pytest

from digitocr.reader import Reader
from digitocr.workers import IMAGES_PER_WORKER, in_workers, read_all

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[str]:
    """The sample photos with an unreadable file among them, enough for two workers."""
    broken = tmp_path_factory.mktemp("broken") / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    photos = sorted(str(p) for p in SAMPLES.glob("*.jpg"))
    assert len(photos) + 1 >= 2 * IMAGES_PER_WORKER
    return photos[:3] + [str(broken)] + photos[3:]


def test_workers_read_what_one_process_reads_in_the_same_order(sources):
    reader = Reader("base")
    alone = list(read_all(reader, sources, jobs=1))
    outcomes = read_all(reader, sources, jobs=2)
    together = [next(outcomes)]
    assert len(multiprocessing.active_children()) == 2  # (read by the workers, not here)
    together += outcomes
    assert [o.source for o in together] == sources
    assert [o.page.texts() if o.page else o.error for o in together] == [o.page.texts() if o.page else o.error for o in alone]
    assert "broken.jpg" in together[3].error and together[3].page is None
    assert sum(len(o.page.rows) for o in together if o.page) >= len(sources) - 1  # (every sample has writing)


def test_images_come_back_only_when_asked_for(sources):
    reader = Reader("base")
    kept = list(read_all(reader, sources, jobs=2, keep_images=True))
    assert all(o.image is not None and o.image.shape[0] == o.page.height for o in kept if o.page)
    assert all(o.image is None for o in read_all(reader, sources, jobs=2))


def _threads(_item) -> int:
    return cv2.getNumThreads()


def _nothing() -> None:
    pass


def test_each_worker_runs_opencv_on_one_thread():
    # Two workers on two cores: OpenCV's own thread pools would make them take turns.
    assert list(in_workers(_threads, range(4), 2, _nothing, ())) == [1, 1, 1, 1]
