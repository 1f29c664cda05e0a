"""Batched training augmentation: every transform keeps shapes and ranges and does what it says."""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from digitocr.augment import augment, random_gap, random_rule  # noqa: E402
from digitocr.train import to_tensor  # noqa: E402


@pytest.fixture(scope="module")
def batch(mnist_test):
    return to_tensor(mnist_test.images[:64])


def test_rule_residue_adds_a_long_thin_line_and_nothing_else(batch):
    assert (random_rule(batch, torch.Generator().manual_seed(0), p=1.0) >= batch).all()  # only adds ink
    lines = random_rule(torch.zeros_like(batch), torch.Generator().manual_seed(0), p=1.0)[:, 0] > 0.4
    for line in lines:
        assert int(line.any(dim=0).sum()) >= 20  # across most of the crop's width ...
        assert int(line.any(dim=1).sum()) <= 6  # ... and thin (a slight tilt spreads it a little)


def test_gaps_only_remove_ink_along_a_narrow_band(batch):
    gapped = random_gap(batch, torch.Generator().manual_seed(0), p=1.0)
    assert (gapped <= batch).all()
    lost = (batch - gapped).sum(dim=(1, 2, 3)) / batch.sum(dim=(1, 2, 3))
    assert 0 < float(lost.median()) < 0.25 and float(lost.max()) < 0.6


def test_augment_keeps_shape_and_range_and_is_seeded(batch):
    a = augment(batch, torch.Generator().manual_seed(3))
    b = augment(batch, torch.Generator().manual_seed(3))
    assert a.shape == batch.shape and float(a.min()) >= 0 and float(a.max()) <= 1
    assert torch.equal(a, b) and not torch.equal(a, augment(batch, torch.Generator().manual_seed(4)))
