"""Which model reading uses: an explicit path, the shipped model (``base``), or the default."""
from __future__ import annotations

from pathlib import Path

from .classifier import Classifier, ModelError
from .paths import shipped_model_path


def load_classifier(model: str | Path | None = None) -> Classifier:
    """``None``: the default model; ``"base"``: the shipped model; otherwise an ``.onnx`` path."""
    if model is None or str(model) == "base":
        try:
            return Classifier(shipped_model_path())
        except FileNotFoundError as err:
            raise ModelError(str(err)) from err
    return Classifier(Path(model))
