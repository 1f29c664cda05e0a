"""Batched digit classification through OpenCV's DNN module running the ONNX model (no torch).

The same class runs the pair model (pairs.py): 28×56 crops in, two ten-way heads out."""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

BATCH = 512  # bounds memory for very large pages; one forward pass per chunk
# The model is trained to give crops that are not digits (specks, desk texture, pieces of rules,
# two digits at once) about equal scores for all ten classes: a crop whose top class scores below
# this looks like no digit at all.
DIGIT_LIKE = 0.3


class ModelError(Exception):
    """The model file is missing, corrupt or not a digit classifier."""


class Classifier:
    def __init__(self, onnx_path: Path | str, side: tuple[int, int] = (28, 28), heads: int = 1):
        """A model reading ``side`` (height, width) crops into ``heads`` digits, ten scores each."""
        self.path, self.side, self.heads = Path(onnx_path), side, heads
        if not self.path.is_file():
            raise ModelError(f"model file {self.path} does not exist")
        try:
            self.net = cv2.dnn.readNetFromONNX(str(self.path))
            probe = self._scores(np.zeros((1, 1, *side), np.float32))
        except cv2.error as err:
            raise ModelError(f"model file {self.path} cannot be loaded: {str(err).strip().splitlines()[-1]}") from err
        if probe.shape != (1, 10 * heads):
            raise ModelError(f"model file {self.path} gives {probe.shape[1:]} outputs, not {10 * heads} digit scores")
        self.metadata = read_metadata(self.path)
        self.name = self.metadata.get("name", self.path.stem)

    def _scores(self, batch: np.ndarray) -> np.ndarray:
        self.net.setInput(batch)
        return np.asarray(self.net.forward(), dtype=np.float32).reshape(len(batch), -1)

    def predict(self, crops: np.ndarray) -> np.ndarray:
        """N crops of ``side`` (uint8, white ink on black) → N×10 probabilities (N×heads×10 for several heads)."""
        crops = np.asarray(crops)
        if crops.ndim != 3 or crops.shape[1:] != self.side:
            raise ValueError(f"expected N×{self.side[0]}×{self.side[1]} crops, got shape {crops.shape}")
        x = crops.astype(np.float32)[:, None] / 255.0
        scores = np.concatenate([self._scores(x[i:i + BATCH]) for i in range(0, len(x), BATCH)] or
                                [np.zeros((0, 10 * self.heads), np.float32)])
        probabilities = softmax(scores.reshape(-1, 10))
        return probabilities.reshape(len(crops), self.heads, 10) if self.heads > 1 else probabilities


def softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def read_metadata(onnx_path: Path) -> dict:
    """The metadata file beside a model (STEM.json), or an empty record if it has none or it is unreadable."""
    meta = onnx_path.with_suffix(".json")
    try:
        return json.loads(meta.read_text()) if meta.is_file() else {}
    except (OSError, ValueError):
        return {}
