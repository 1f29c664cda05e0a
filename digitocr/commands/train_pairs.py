"""``digitocr train-pairs``: train the pair model (two touching digits read whole) on MNIST pairs."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import click

from ..pairdata import NOT_PAIRS
from .train import data_option, download_option, load_mnist, out_option, require_torch


@click.command("train-pairs")
@data_option
@download_option
@out_option("models/digitocr-pairs")
@click.option("--epochs", type=click.IntRange(1), default=6, show_default=True)
@click.option("--pairs", type=click.IntRange(100), default=150_000, show_default=True,
              help=f"Crops made from the training digits ({NOT_PAIRS:.0%} of them not two digits).")
@click.option("--batch-size", type=click.IntRange(1), default=128, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=4e-3, show_default=True, help="Peak learning rate.")
@click.option("--seed", type=int, default=0, show_default=True)
def train_pairs(data_dir, download, out, epochs, pairs, batch_size, lr, seed):
    """Train the pair model on touching pairs of MNIST training digits (30-45 minutes on 2 CPU cores).

    Reading uses it where no cut separates two overlapping digits. Keeps the epoch that reads
    the most test pairs right and writes it atomically, as ``digitocr train`` does.
    """
    require_torch()
    train_split, test_split = load_mnist(data_dir, download)

    from ..artifacts import save_model
    from ..model import count_macs, count_params
    from ..pairtrain import PairConfig, pair_recipe, train_pairs as run_training

    config = PairConfig(epochs=epochs, pairs=pairs, batch_size=batch_size, lr=lr, seed=seed)
    started = time.monotonic()
    model, history, best = run_training(train_split, test_split, config)
    seconds = time.monotonic() - started
    metadata = {
        "name": Path(out).stem,
        "test_pair_accuracy": best["test_pair_accuracy"],
        "best_epoch": best["epoch"],
        "params": count_params(model),
        "macs": count_macs(model),
        "seconds": round(seconds, 1),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "recipe": pair_recipe(config),
    }
    files = save_model(model, out, metadata, history)
    click.echo(f"best epoch {best['epoch']}: {best['test_pair_accuracy']:.2%} of test pairs read right "
               f"in {seconds / 60:.1f} min; wrote {', '.join(str(p) for p in files.values())}")
