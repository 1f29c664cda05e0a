"""`digitocr finetune`: collecting the user's samples, a tiny training run, and bad input."""
from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
import torch
from click.testing import CliRunner

from digitocr import artifacts, mnist, userdata
from digitocr import finetune as finetune_module
from digitocr.classifier import Classifier
from digitocr.cli import main
from digitocr.finetune import FinetuneConfig, finetune, holdout_split
from digitocr.modelchoice import RescoringClassifier, load_classifier
from digitocr.paths import finetuned_model_path, shipped_model_path, shipped_models_dir


def scan(digit: np.ndarray, scale: int = 3) -> np.ndarray:
    """An MNIST digit as a scan shows it: larger, dark ink on white paper."""
    return 255 - cv2.resize(digit, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def row_photo(digits: list[np.ndarray]) -> np.ndarray:
    """One row of well separated digits, dark on white, with a margin all round."""
    gap = np.full((84, 40), 255, np.uint8)
    row = np.hstack([part for d in digits for part in (gap, scan(d))] + [gap])
    return np.pad(row, 40, constant_values=255)


def digit_tree(folder, split: mnist.Split, per_digit: int, digits=range(10)):
    for d in digits:
        (folder / str(d)).mkdir(parents=True)
        for i in np.flatnonzero(split.labels == d)[:per_digit]:
            cv2.imwrite(str(folder / str(d) / f"{i}.png"), scan(split.images[i]))


@pytest.fixture
def small_mnist(monkeypatch, mnist_splits):
    """The command's MNIST cut down (replay and report) so a test run takes seconds."""
    train, test = mnist_splits
    small = (mnist.Split(train.images[:512], train.labels[:512]), mnist.Split(test.images[:300], test.labels[:300]))
    monkeypatch.setattr(mnist, "load", lambda folder: small)


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def shipped_state() -> dict:
    return {p.name: p.read_bytes() for p in shipped_models_dir().iterdir() if p.is_file()}


def run_finetune(*args):
    return CliRunner().invoke(main, ["finetune", *args])


def test_tiny_finetune_writes_a_model_that_reading_then_prefers(tmp_path, monkeypatch, mnist_test, small_mnist, user_data):
    monkeypatch.setattr(finetune_module, "MIN_STEPS_PER_EPOCH", 3)
    shipped_before = shipped_state()
    digit_tree(tmp_path / "mine", mnist_test, per_digit=3, digits=range(9))  # no 9s: warned, not fatal
    result = run_finetune(str(tmp_path / "mine"), "--epochs", "1")
    assert result.exit_code == 0, result.output
    assert "no samples of digit(s) 9" in result.output
    assert "27 samples" in result.output
    assert "before" in result.output and "after" in result.output

    files = artifacts.model_files(finetuned_model_path())
    assert all(files[key].is_file() for key in ("weights", "onnx", "metadata"))
    meta = json.loads(files["metadata"].read_text())
    assert meta["samples_per_digit"] == [3] * 9 + [0]
    assert meta["train_samples"] + meta["held_out_samples"] == 27 and meta["held_out_samples"] > 0
    assert set(meta["before"]) == set(meta["after"]) == {"held_out", "mnist_test"}
    assert Classifier(files["onnx"]).predict(mnist_test.images[:5]).shape == (5, 10)
    assert isinstance(load_classifier(), RescoringClassifier)
    assert shipped_state() == shipped_before


def test_row_photos_are_labelled_where_the_digit_count_matches(tmp_path, mnist_test):
    images, labels = mnist_test.images, mnist_test.labels
    first = [int(np.flatnonzero(labels == d)[0]) for d in (4, 0, 7, 2)]
    folder = tmp_path / "rows"
    folder.mkdir()
    cv2.imwrite(str(folder / "good.png"), row_photo([images[i] for i in first]))
    cv2.imwrite(str(folder / "short.png"), row_photo([images[i] for i in first[:3]]))
    (folder / "labels.tsv").write_text("good.png\t4072\nshort.png\t4072\nmissing.png\t11\ngood.png\tabc\n")
    collected = userdata.collect([folder])
    assert collected.labels == [4, 0, 7, 2]
    assert len(collected.crops) == 4 and collected.crops[0].shape == (28, 28)
    skipped = "\n".join(collected.skipped)
    assert "short.png: found 1 row(s) of 3 digits, the label has 1 row(s) of 4 digits" in skipped
    assert "missing.png does not exist" in skipped and "rows must be digits" in skipped


def test_row_photos_can_be_labelled_by_their_names(tmp_path, mnist_test):
    images, labels = mnist_test.images, mnist_test.labels
    first = [int(np.flatnonzero(labels == d)[0]) for d in (3, 8)]
    cv2.imwrite(str(tmp_path / "38.png"), row_photo([images[i] for i in first]))
    cv2.imwrite(str(tmp_path / "notes.png"), row_photo([images[i] for i in first]))
    collected = userdata.collect([tmp_path])
    assert collected.labels == [3, 8]
    assert any("notes.png" in message for message in collected.skipped)


def test_single_digit_crops_do_not_depend_on_polarity_or_size(mnist_test):
    digit = mnist_test.images[0]
    dark_on_white = userdata.single_digit_crop(scan(digit, 4))
    light_on_black = userdata.single_digit_crop(255 - scan(digit, 4))
    tiny = userdata.single_digit_crop(255 - digit)
    for crop in (light_on_black, tiny):
        assert crop is not None and crop.shape == (28, 28)
        overlap = np.minimum(crop, dark_on_white).sum() / np.maximum(crop, dark_on_white).sum()
        assert overlap > 0.6
    assert userdata.single_digit_crop(np.full((50, 50), 255, np.uint8)) is None


def test_holdout_is_stratified_and_leaves_every_digit_a_training_sample():
    labels = np.array([0] * 10 + [1] * 5 + [2])
    train, held = holdout_split(labels, 0.2, seed=0)
    assert sorted(np.concatenate([train, held]).tolist()) == list(range(16))
    assert np.bincount(labels[held], minlength=3).tolist() == [2, 1, 0]
    assert set(labels[train]) == {0, 1, 2}


def test_freeze_features_trains_only_the_last_layer(mnist_test):
    model = artifacts.load_model(artifacts.model_files(shipped_model_path())["weights"])
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    user = mnist.Split(mnist_test.images[:40], mnist_test.labels[:40])
    config = FinetuneConfig(epochs=1, batch_size=8, replay_ratio=0, freeze_features=True)
    model, history, best = finetune(model, user, mnist.Split(user.images[:0], user.labels[:0]), None, config,
                                    show_progress=False)
    changed = {name for name, p in model.named_parameters() if not torch.equal(p, before[name])}
    assert changed == {"head.weight", "head.bias"}
    assert best == history[-1] and best["val_accuracy"] is None


def test_nothing_usable_fails_and_writes_nothing(tmp_path, user_data):
    (tmp_path / "mine" / "3").mkdir(parents=True)
    (tmp_path / "mine" / "3" / "notes.txt").write_text("hello")
    (tmp_path / "mine" / "3" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    cv2.imwrite(str(tmp_path / "mine" / "3" / "blank.png"), np.full((40, 40), 255, np.uint8))
    result = run_finetune(str(tmp_path / "mine"))
    assert result.exit_code == 1
    assert "notes.txt: not an image file" in result.output
    assert "broken.png" in result.output and "blank.png: no digit found" in result.output
    assert "only 0 usable samples" in result.output and "Traceback" not in result.output
    assert not user_data.exists()


def test_a_missing_folder_is_one_clear_line(tmp_path, user_data):
    result = run_finetune(str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nowhere'} is not a folder"


def test_writing_into_the_shipped_models_folder_is_refused(tmp_path):
    shipped_before = shipped_state()
    result = run_finetune(str(tmp_path), "--out", str(shipped_models_dir() / "mine"))
    assert result.exit_code == 1 and "shipped models folder" in result.output
    assert shipped_state() == shipped_before
