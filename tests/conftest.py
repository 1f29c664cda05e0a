"""Shared fixtures: where MNIST is, and the test split loaded once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from digitocr import mnist

REPO = Path(__file__).resolve().parent.parent


def mnist_dir() -> Path:
    """``$DIGITOCR_DATA``, else ``../shared/data/mnist`` beside the checkout (as on CI)."""
    env = os.environ.get("DIGITOCR_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data" / "mnist"


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    return mnist_dir()


@pytest.fixture(scope="session")
def mnist_splits(mnist_path):
    """(train, test) MNIST splits; loaded once, shared by all tests."""
    return mnist.load(mnist_path)


@pytest.fixture(scope="session")
def mnist_test(mnist_splits):
    return mnist_splits[1]
