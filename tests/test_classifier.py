"""The shipped model through the reading backend (OpenCV DNN on ONNX, no torch)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from digitocr.classifier import Classifier, ModelError
from digitocr.paths import shipped_model_path


@pytest.fixture(scope="module")
def shipped():
    return Classifier(shipped_model_path())


def test_shipped_model_accuracy_matches_its_metadata(shipped, mnist_test):
    probs = shipped.predict(mnist_test.images)  # all 10,000 test images in one call
    accuracy = float((probs.argmax(1) == mnist_test.labels).mean())
    recorded = json.loads(shipped_model_path().with_suffix(".json").read_text())["test_accuracy"]
    assert accuracy == pytest.approx(recorded, abs=1e-4)


def test_onnx_and_torch_agree_on_real_crops(shipped, mnist_test):
    torch = pytest.importorskip("torch")
    from digitocr.artifacts import load_model

    model = load_model(shipped_model_path().with_suffix(".pt"))
    crops = mnist_test.images[:500]
    with torch.no_grad():
        ref = model(torch.from_numpy(crops.copy()).float().div(255).unsqueeze(1)).numpy()
    shipped.net.setInput(crops.astype(np.float32)[:, None] / 255)
    scores = shipped.net.forward()
    assert np.abs(scores - ref).max() < 1e-4


def test_shipped_onnx_is_small():
    assert shipped_model_path().stat().st_size <= 2 * 1024 * 1024


def test_predict_handles_any_batch_size(shipped, mnist_test):
    assert shipped.predict(np.zeros((0, 28, 28), np.uint8)).shape == (0, 10)
    probs = shipped.predict(mnist_test.images[:1300])  # more than one internal chunk
    assert probs.shape == (1300, 10)
    assert np.allclose(probs.sum(1), 1, atol=1e-5)
    assert np.allclose(probs[:7], shipped.predict(mnist_test.images[:7]), atol=1e-6)


def test_bad_model_files_raise_model_error(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        Classifier(tmp_path / "missing.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"\x08\x07garbage" * 10)
    with pytest.raises(ModelError, match="cannot be loaded"):
        Classifier(junk)
