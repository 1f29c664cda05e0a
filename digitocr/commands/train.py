"""``digitocr train``: train the digit CNN on MNIST and save weights, ONNX and metadata."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import click

from ..paths import default_mnist_dir


# Options that every command training on MNIST takes.
data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder with the four MNIST .gz files [default: $DIGITOCR_DATA, else ~/.cache/digitocr/mnist].")
download_option = click.option(
    "--download", is_flag=True,
    help="Download missing MNIST files into the data folder (MD5-verified; mirrors from $DIGITOCR_MNIST_MIRRORS if set).")


def out_option(default: str):
    return click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path(default), show_default=True,
                        help="Model path stem: writes STEM.pt, STEM.onnx, STEM.json, STEM.history.json.")


@click.command()
@data_option
@download_option
@out_option("models/digitocr-mnist")
@click.option("--epochs", type=click.IntRange(1), default=26, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=128, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=4e-3, show_default=True, help="Peak learning rate.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Train on the first N samples only (quick checks).")
@click.option("--negatives", type=click.FloatRange(0), default=0.25, show_default=True,
              help="Crops that are not one digit (pieces, touching pairs, clutter) per digit in a batch, "
                   "trained to low confidence; 0 for none.")
@click.option("--start-from", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Continue training a saved model (its STEM or STEM.pt) instead of fresh weights.")
@click.option("--pages", type=click.IntRange(0), default=0, show_default=True,
              help="Also train on the crops the reader cuts from this many generated photos of MNIST training "
                   "digits, read with the --start-from model (else the shipped one).")
def train(data_dir, download, out, epochs, batch_size, lr, seed, limit, negatives, start_from, pages):
    """Train the digit model on MNIST (about 25 minutes on 2 CPU cores).

    Keeps the epoch with the best test accuracy and writes it atomically: if training fails
    or is interrupted, an existing model at --out is left untouched. With --start-from and
    --pages it continues a trained model on the crops the reader cuts from generated photos.
    """
    require_torch()
    train_split, test_split = load_mnist(data_dir, download)

    from ..artifacts import load_model, model_files, save_model
    from ..classifier import ModelError, read_metadata
    from ..model import count_macs, count_params
    from ..train import TrainConfig, recipe, train as run_training

    start_files = model_files(start_from) if start_from else None
    if start_files and not start_files["weights"].is_file():
        raise click.ClickException(f"--start-from: no weights at {start_files['weights']}")
    try:
        start = load_model(start_files["weights"]) if start_files else None
    except ModelError as err:
        raise click.ClickException(f"--start-from: {err}") from None
    page_crops, cutter = cut_page_crops(train_split, start_files, pages, seed) if pages else (None, None)
    config = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, limit=limit, negatives=negatives)
    started = time.monotonic()
    model, history, best = run_training(train_split, test_split, config, initial=start, pages=page_crops)
    seconds = time.monotonic() - started
    metadata = {
        "name": Path(out).stem,
        "test_accuracy": best["test_accuracy"],
        "best_epoch": best["epoch"],
        "epochs": epochs,
        "train_samples": limit or len(train_split.images),
        "params": count_params(model),
        "macs": count_macs(model),
        "seconds": round(seconds, 1),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "recipe": recipe(config),
    }
    if start_files:
        metadata["started_from"] = read_metadata(start_files["onnx"])
    if page_crops is not None:
        labels = page_crops[1]
        metadata["page_crops"] = {"pages": pages, "crops": len(labels), "not_digits": int((labels < 0).sum()),
                                  "cut_with": {key: cutter.get(key) for key in ("name", "date", "test_accuracy")}}
    files = save_model(model, out, metadata, history)
    click.echo(f"best epoch {best['epoch']}: MNIST test accuracy {best['test_accuracy']:.4%} "
               f"in {seconds / 60:.1f} min; wrote {', '.join(str(p) for p in files.values())}")


def require_torch() -> None:
    """Training needs PyTorch, which reading does not: say how to get it rather than a traceback."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise click.ClickException("training needs PyTorch: pip install 'digitocr[train]' (on a CPU-only "
                                   "machine add -c constraints.txt from the repository)") from None


def load_mnist(data_dir: Path | None, download: bool):
    """The (train, test) MNIST splits from --data (or the default folder); a ClickException if unusable."""
    from .. import mnist

    data_dir = data_dir or default_mnist_dir()
    try:
        if download:
            mnist.download(data_dir)
        return mnist.load(data_dir)
    except mnist.DataError as err:
        raise click.ClickException(str(err)) from None


def cut_page_crops(train_split, start_files: dict | None, pages: int, seed: int):
    """Crops and labels cut from ``pages`` generated photos of the training digits (pagecrops.py),
    and the metadata of the model that read them (it chose where touching digits were cut)."""
    from ..pagecrops import harvest
    from ..reader import Reader
    from ..train import progress_bar
    from ..workers import default_jobs

    reader = Reader(start_files["onnx"] if start_files else "base")
    with progress_bar() as progress:
        task = progress.add_task("cutting crops from generated pages", total=pages, stats="")
        crops, labels = harvest(train_split, reader, pages, seed, default_jobs(), advance=lambda: progress.advance(task))
    click.echo(f"{len(labels)} crops from {pages} pages, {int((labels < 0).sum())} of them not one digit")
    return (crops, labels), reader.classifier.metadata
