"""Saving and loading model files: torch weights, ONNX export, metadata and training history.

Every file is written beside its final name and renamed into place only when all of them are
complete, so a crash mid-save leaves the previous model untouched, never a half-written one.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import torch

from .classifier import ModelError
from .model import DigitNet, PairNet


def model_files(stem: Path) -> dict[str, Path]:
    """The files that make up one saved model, named after ``stem`` (e.g. models/digitocr-mnist)."""
    stem = Path(stem)
    if stem.suffix in {".onnx", ".pt", ".json"}:
        stem = stem.with_suffix("")
    return {
        "weights": stem.with_suffix(".pt"),
        "onnx": stem.with_suffix(".onnx"),
        "metadata": stem.with_suffix(".json"),
        "history": stem.parent / f"{stem.name}.history.json",
    }


def _temp_beside(path: Path, write: Callable[[Path], None]) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o644)  # mkstemp's 0600 would make the shipped model unreadable to other users
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def export_onnx(model: DigitNet | PairNet, path: Path) -> None:
    """Export for OpenCV's DNN module: input ``input`` N×1×28×28 float32 in [0, 1] (N×1×28×56 for
    the pair model), output ``scores`` N×10 (N×20)."""
    model.eval()
    torch.onnx.export(
        model, (torch.zeros(1, 1, *model.input_size),), str(path), input_names=["input"], output_names=["scores"],
        dynamic_axes={"input": {0: "batch"}, "scores": {0: "batch"}}, opset_version=17, dynamo=False,
    )


def save_model(model: DigitNet | PairNet, stem: Path, metadata: dict, history: list[dict] | None = None) -> dict[str, Path]:
    """Write weights, ONNX, metadata (and history) atomically; returns the final paths."""
    files = model_files(stem)
    files["weights"].parent.mkdir(parents=True, exist_ok=True)
    metadata = {**metadata, "weights": files["weights"].name, "onnx": files["onnx"].name}
    writers = {
        "weights": lambda p: torch.save(model.state_dict(), p),
        "onnx": lambda p: export_onnx(model, p),
        "metadata": lambda p: p.write_text(json.dumps(metadata, indent=2) + "\n"),
    }
    if history is not None:
        writers["history"] = lambda p: p.write_text(json.dumps(history, indent=2) + "\n")
    temps: dict[str, Path] = {}
    try:
        for key, write in writers.items():
            temps[key] = _temp_beside(files[key], write)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    for key, tmp in temps.items():
        tmp.replace(files[key])
    return {key: files[key] for key in temps}


def load_model(weights: Path) -> DigitNet:
    """A DigitNet with the weights of a ``.pt`` file written by :func:`save_model`; a ModelError
    when they are weights of another network (such as an earlier digitocr's smaller model)."""
    model = DigitNet()
    try:
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    except RuntimeError as err:
        raise ModelError(f"{weights}: these weights do not fit this digitocr's network "
                         "(saved by another version?)") from err
    return model.eval()
