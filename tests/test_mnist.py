"""MNIST IDX parsing, verification and MD5-checked download (from a local HTTP server)."""
from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import threading

import numpy as np
import pytest

from digitocr import mnist


def test_load_gives_the_standard_splits(mnist_splits):
    train, test = mnist_splits
    assert train.images.shape == (60000, 28, 28) and train.images.dtype == np.uint8
    assert test.images.shape == (10000, 28, 28)
    assert np.bincount(test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_missing_folder_says_what_to_do(tmp_path):
    with pytest.raises(mnist.DataError, match="does not exist.*--download"):
        mnist.load(tmp_path / "nowhere")


def test_missing_file_is_named(tmp_path, mnist_path):
    for name, _ in list(mnist.FILES.values())[:3]:
        shutil.copy(mnist_path / name, tmp_path / name)
    with pytest.raises(mnist.DataError, match="t10k-labels-idx1-ubyte.gz is missing"):
        mnist.load(tmp_path)


def test_wrong_checksum_is_rejected(tmp_path, mnist_path):
    for name, _ in mnist.FILES.values():
        shutil.copy(mnist_path / name, tmp_path / name)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00" * 100))
    with pytest.raises(mnist.DataError, match="wrong checksum"):
        mnist.load(tmp_path)


def test_truncated_idx_is_reported(tmp_path, mnist_path):
    raw = gzip.decompress((mnist_path / "t10k-labels-idx1-ubyte.gz").read_bytes())
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(raw[:-10]))
    with pytest.raises(mnist.DataError, match="truncated"):
        mnist.parse_idx(path, mnist.LABELS_MAGIC)


def test_bad_magic_and_broken_gzip_are_reported(tmp_path, mnist_path):
    with pytest.raises(mnist.DataError, match="not an MNIST IDX file"):
        mnist.parse_idx(mnist_path / "t10k-labels-idx1-ubyte.gz", mnist.IMAGES_MAGIC)
    broken = tmp_path / "broken.gz"
    broken.write_bytes((mnist_path / "t10k-labels-idx1-ubyte.gz").read_bytes()[:2000])
    with pytest.raises(mnist.DataError, match="not a readable gzip"):
        mnist.parse_idx(broken, mnist.LABELS_MAGIC)


@pytest.fixture
def mirror(tmp_path):
    """A local HTTP server on 127.0.0.1 serving a folder; yields (folder, base URL)."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_download_fetches_and_verifies(tmp_path, mnist_path, mirror, monkeypatch):
    served, url = mirror
    for name, _ in mnist.FILES.values():
        shutil.copy(mnist_path / name, served / name)
    monkeypatch.setenv("DIGITOCR_MNIST_MIRRORS", f"http://127.0.0.1:9/ {url}")  # first mirror refuses
    target = tmp_path / "data"
    mnist.download(target, timeout=5)
    train, test = mnist.load(target)
    assert len(train.images) == 60000 and len(test.images) == 10000
    assert not list(target.glob("*.tmp"))


def test_download_rejects_a_corrupt_file_and_keeps_nothing(tmp_path, mnist_path, mirror, monkeypatch):
    served, url = mirror
    for name, _ in mnist.FILES.values():
        shutil.copy(mnist_path / name, served / name)
    (served / "t10k-images-idx3-ubyte.gz").write_bytes(b"not mnist")
    monkeypatch.setenv("DIGITOCR_MNIST_MIRRORS", url)
    target = tmp_path / "data"
    with pytest.raises(mnist.DataError, match="could not download t10k-images.*checksum mismatch"):
        mnist.download(target, timeout=5)
    assert not (target / "t10k-images-idx3-ubyte.gz").exists()
    assert not list(target.glob("*.tmp"))
