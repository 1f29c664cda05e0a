"""Which model reading uses: the fine-tuned one when present and valid, the shipped one otherwise."""
from __future__ import annotations

import numpy as np
import pytest

from digitocr import artifacts
from digitocr.classifier import Classifier
from digitocr.model import DigitNet
from digitocr.modelchoice import RescoringClassifier, load_classifier
from digitocr.paths import finetuned_model_path, shipped_model_path


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


def shipped_name() -> str:
    return Classifier(shipped_model_path()).name


def test_without_a_finetuned_model_the_shipped_one_is_used(user_data):
    classifier = load_classifier()
    assert isinstance(classifier, Classifier)
    assert classifier.path == shipped_model_path()


def test_a_finetuned_model_is_preferred_and_backed_by_the_shipped_one(user_data):
    artifacts.save_model(DigitNet(), finetuned_model_path(), {"name": "my-hand"})
    classifier = load_classifier()
    assert isinstance(classifier, RescoringClassifier)
    assert classifier.finetuned.path == finetuned_model_path()
    assert classifier.base.path == shipped_model_path()
    assert "my-hand" in classifier.name and shipped_name() in classifier.name


def test_base_forces_the_shipped_model(user_data):
    artifacts.save_model(DigitNet(), finetuned_model_path(), {"name": "my-hand"})
    classifier = load_classifier("base")
    assert isinstance(classifier, Classifier) and classifier.path == shipped_model_path()


def test_a_corrupt_finetuned_model_falls_back_to_the_shipped_one(user_data):
    finetuned_model_path().parent.mkdir(parents=True)
    finetuned_model_path().write_bytes(b"not an onnx file")
    classifier = load_classifier()
    assert isinstance(classifier, Classifier) and classifier.path == shipped_model_path()


class Fixed:
    """A stand-in classifier answering fixed probabilities and recording what it was asked."""

    def __init__(self, name: str, probabilities: np.ndarray):
        self.name, self.probabilities, self.asked = name, np.asarray(probabilities, np.float32), []

    def predict(self, crops: np.ndarray) -> np.ndarray:
        index = crops[:, 0, 0].astype(int)  # each test crop carries its own row number in pixel (0, 0)
        self.asked.append(index.tolist())
        return self.probabilities[index].copy()


def one_hot(label: int, confidence: float) -> np.ndarray:
    p = np.full(10, (1 - confidence) / 9, np.float32)
    p[label] = confidence
    return p


def test_unsure_digits_take_the_more_confident_answer():
    finetuned = Fixed("tuned", [one_hot(1, 0.99), one_hot(7, 0.6), one_hot(4, 0.5)])
    base = Fixed("base", [one_hot(9, 0.99), one_hot(1, 0.95), one_hot(9, 0.4)])
    crops = np.zeros((3, 28, 28), np.uint8)
    crops[:, 0, 0] = [0, 1, 2]
    probabilities = RescoringClassifier(finetuned, base, threshold=0.9).predict(crops)
    assert probabilities.argmax(axis=1).tolist() == [1, 1, 4]  # confident kept; base wins 1; fine-tuned keeps 2
    assert base.asked == [[1, 2]]  # only the unsure digits were re-scored
    assert probabilities[1].max() == pytest.approx(0.95)


def test_nothing_unsure_means_the_base_model_is_not_asked():
    finetuned = Fixed("tuned", [one_hot(3, 0.97)])
    base = Fixed("base", [one_hot(8, 0.99)])
    crops = np.zeros((1, 28, 28), np.uint8)
    assert RescoringClassifier(finetuned, base).predict(crops).argmax(axis=1).tolist() == [3]
    assert base.asked == []
