"""Where digitocr finds its data and models: shipped, user (XDG) and MNIST folders."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_MODELS = Path(__file__).resolve().parent / "models"  # installed: digitocr/models
SOURCE_MODELS = Path(__file__).resolve().parent.parent / "models"  # source checkout: ./models
PAIR_MODEL = "digitocr-pairs.onnx"  # the pair model (pairs.py), shipped beside the digit model


def shipped_models_dir() -> Path:
    """The folder holding the model that ships with digitocr."""
    return PACKAGE_MODELS if PACKAGE_MODELS.is_dir() else SOURCE_MODELS


def shipped_model_path() -> Path:
    """The shipped digit model: the first (sorted) ``.onnx`` file of the shipped models folder
    that is not the pair model."""
    folder = shipped_models_dir()
    candidates = sorted(p for p in folder.glob("*.onnx") if p.name != PAIR_MODEL)
    if not candidates:
        raise FileNotFoundError(f"no .onnx model in {folder}; reinstall digitocr or pass --model")
    return candidates[0]


def shipped_pair_model_path() -> Path:
    """Where the shipped pair model is (it may be missing: reading then does without it)."""
    return shipped_models_dir() / PAIR_MODEL


def user_data_dir() -> Path:
    """Per-user data folder (``$XDG_DATA_HOME/digitocr``, by default ``~/.local/share/digitocr``)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "digitocr"


def finetuned_model_path() -> Path:
    """Where ``digitocr finetune`` writes, and ``digitocr read`` looks for, the user's model."""
    return user_data_dir() / "finetuned" / "digitocr-finetuned.onnx"


def default_mnist_dir() -> Path:
    """MNIST folder: ``$DIGITOCR_DATA`` if set, else ``$XDG_CACHE_HOME/digitocr/mnist``."""
    env = os.environ.get("DIGITOCR_DATA")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "digitocr" / "mnist"
