"""`digitocr train` end to end on a few hundred samples: loop, atomic save, ONNX export, reload."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from digitocr import artifacts
from digitocr.classifier import Classifier
from digitocr.cli import main
from digitocr.model import DigitNet


def run_train(*args):
    return CliRunner().invoke(main, ["train", *args])


def test_tiny_training_run_writes_a_loadable_model(tmp_path, mnist_path, mnist_test):
    out = tmp_path / "tiny"
    result = run_train("--data", str(mnist_path), "--limit", "300", "--epochs", "1", "--batch-size", "64", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = artifacts.model_files(out)
    assert all(p.is_file() for p in files.values())
    meta = json.loads(files["metadata"].read_text())
    assert meta["train_samples"] == 300 and meta["epochs"] == 1 and meta["params"] > 10_000
    history = json.loads(files["history"].read_text())
    assert [h["epoch"] for h in history] == [1]
    assert meta["test_accuracy"] == history[0]["test_accuracy"]
    assert meta["recipe"]["negatives"] == 0.25 and 0.1 <= history[0]["not_digit_confidence"] <= 1

    # The ONNX file and the torch weights describe the same network.
    crops = mnist_test.images[:64]
    probs = Classifier(files["onnx"]).predict(crops)
    model = artifacts.load_model(files["weights"])
    with torch.no_grad():
        ref = torch.softmax(model(torch.from_numpy(crops.copy()).float().div(255).unsqueeze(1)), 1).numpy()
    assert np.abs(probs - ref).max() < 1e-4


def test_bad_data_folder_fails_cleanly_and_keeps_the_model(tmp_path, mnist_path):
    out = tmp_path / "model"
    artifacts.save_model(DigitNet(), out, {"name": "old"})
    before = {p: p.read_bytes() for p in artifacts.model_files(out).values() if p.exists()}
    data = tmp_path / "data"
    shutil.copytree(mnist_path, data)
    (data / "train-labels-idx1-ubyte.gz").write_bytes(b"junk")
    result = run_train("--data", str(data), "--limit", "100", "--epochs", "1", "--out", str(out))
    assert result.exit_code == 1
    assert "wrong checksum" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in before} == before


def test_starting_from_weights_of_another_network_fails_cleanly(tmp_path, mnist_path):
    other = tmp_path / "other.pt"
    torch.save(torch.nn.Linear(4, 2).state_dict(), other)
    result = run_train("--data", str(mnist_path), "--limit", "100", "--epochs", "1", "--start-from", str(other),
                       "--out", str(tmp_path / "model"))
    assert result.exit_code == 1
    assert "do not fit this digitocr's network" in result.output and "Traceback" not in result.output


def test_a_crash_mid_save_leaves_the_previous_model_intact(tmp_path, monkeypatch):
    out = tmp_path / "model"
    artifacts.save_model(DigitNet(), out, {"name": "old"})
    before = {p: p.read_bytes() for p in artifacts.model_files(out).values() if p.exists()}

    def crash(model, path):
        path.write_bytes(b"half an onnx file")
        raise KeyboardInterrupt

    monkeypatch.setattr(artifacts, "export_onnx", crash)
    with pytest.raises(KeyboardInterrupt):
        artifacts.save_model(DigitNet(), out, {"name": "new"})
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in before)


def test_training_without_torch_says_how_to_install_it(tmp_path):
    # Reading installs need no torch; train and finetune must say so in one line, not a traceback.
    code = ("import sys; sys.modules['torch'] = None; from digitocr.cli import main; "
            "main(['train', '--limit', '10', '--out', sys.argv[1]])")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "training needs PyTorch: pip install 'digitocr[train]'" in result.stderr
    assert "Traceback" not in result.stderr
