"""``digitocr train``: train the digit CNN on MNIST and save weights, ONNX and metadata."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import click

from ..paths import default_mnist_dir


@click.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with the four MNIST .gz files [default: $DIGITOCR_DATA, else ~/.cache/digitocr/mnist].")
@click.option("--download", is_flag=True, help="Download missing MNIST files into the data folder (MD5-verified; mirrors from $DIGITOCR_MNIST_MIRRORS if set).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("models/digitocr-mnist"),
              show_default=True, help="Model path stem: writes STEM.pt, STEM.onnx, STEM.json, STEM.history.json.")
@click.option("--epochs", type=click.IntRange(1), default=26, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=128, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=4e-3, show_default=True, help="Peak learning rate.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Train on the first N samples only (quick checks).")
@click.option("--negatives", type=click.FloatRange(0), default=0.25, show_default=True,
              help="Crops that are not one digit (pieces, touching pairs, clutter) per digit in a batch, "
                   "trained to low confidence; 0 for none.")
def train(data_dir, download, out, epochs, batch_size, lr, seed, limit, negatives):
    """Train the digit model on MNIST (about 25 minutes on 2 CPU cores).

    Keeps the epoch with the best test accuracy and writes it atomically: if training fails
    or is interrupted, an existing model at --out is left untouched.
    """
    require_torch()
    train_split, test_split = load_mnist(data_dir, download)

    from ..artifacts import save_model
    from ..model import count_macs, count_params
    from ..train import TrainConfig, recipe, train as run_training

    config = TrainConfig(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, limit=limit, negatives=negatives)
    started = time.monotonic()
    model, history, best = run_training(train_split, test_split, config)
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
