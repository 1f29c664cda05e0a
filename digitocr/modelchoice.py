"""Which model reading uses: an explicit path, the shipped model (``base``), or the default.

The default is the user's fine-tuned model (written by ``digitocr finetune``) when it is present
and loads, backed by the shipped model for the digits it is unsure of; otherwise the shipped model.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .classifier import Classifier, ModelError
from .paths import finetuned_model_path, shipped_model_path

RESCORE_BELOW = 0.9  # fine-tuned answers less confident than this are checked against the shipped model


class RescoringClassifier:
    """The fine-tuned model, with the digits it is unsure of re-scored by the shipped model.

    A few dozen samples teach the fine-tuned model the user's style, but can leave it unsure of
    shapes the user never showed it; there the shipped model's broader MNIST experience may know
    better, so the more confident of the two answers wins.
    """

    def __init__(self, finetuned: Classifier, base: Classifier, threshold: float = RESCORE_BELOW):
        self.finetuned, self.base, self.threshold = finetuned, base, threshold
        self.name = f"{finetuned.name} (below {threshold:.0%} confidence re-scored by {base.name})"

    def predict(self, crops: np.ndarray) -> np.ndarray:
        """N×28×28 uint8 crops → N×10 probabilities, each row from whichever model is more confident."""
        probabilities = self.finetuned.predict(crops)
        unsure = np.flatnonzero(probabilities.max(axis=1) < self.threshold)
        if len(unsure):
            second = self.base.predict(np.asarray(crops)[unsure])
            wins = second.max(axis=1) > probabilities[unsure].max(axis=1)
            probabilities[unsure[wins]] = second[wins]
        return probabilities


def load_classifier(model: str | Path | None = None) -> Classifier | RescoringClassifier:
    """``None``: the default model; ``"base"``: the shipped model; otherwise an ``.onnx`` path."""
    if model is None:
        finetuned = finetuned_model_path()
        if finetuned.is_file():
            try:
                return RescoringClassifier(Classifier(finetuned), _shipped())
            except ModelError:
                pass  # a broken fine-tuned model must not stop reading: the shipped one still works
        return _shipped()
    if str(model) == "base":
        return _shipped()
    return Classifier(Path(model))


def _shipped() -> Classifier:
    try:
        return Classifier(shipped_model_path())
    except FileNotFoundError as err:
        raise ModelError(str(err)) from err
