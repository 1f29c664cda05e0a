"""``digitocr finetune``: adapt the shipped model to the user's own handwriting."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import click

from ..paths import finetuned_model_path, shipped_model_path, shipped_models_dir
from .train import load_mnist, require_torch

MIN_SAMPLES = 10  # fewer usable samples than this cannot teach the model anything reliable
HOLDOUT = 0.2  # share of each digit's samples held out to choose the best epoch and to report on
SKIPPED_SHOWN = 20  # longer lists of skipped files are cut, with a count of the rest


@click.command()
@click.argument("folders", nargs=-1, required=True, metavar="FOLDER...",
                type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model path stem: writes STEM.pt, STEM.onnx, STEM.json "
                   "[default: your per-user model, which `digitocr read` then uses].")
@click.option("--epochs", type=click.IntRange(1), default=12, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=1e-3, show_default=True, help="Peak learning rate.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-replay", is_flag=True, help="Train on your samples alone, without mixing in MNIST digits (forgets more).")
@click.option("--freeze-features", is_flag=True, help="Train only the last layer (faster, adapts less).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with the four MNIST .gz files, for replay and the before/after report "
                   "[default: $DIGITOCR_DATA, else ~/.cache/digitocr/mnist].")
@click.option("--download", is_flag=True, help="Download missing MNIST files into the data folder (MD5-verified).")
def finetune(folders, out, epochs, lr, seed, no_replay, freeze_features, data_dir, download):
    """Fine-tune the digit model on samples of your own handwriting in FOLDER...

    \b
    A FOLDER may hold either or both of:
      0/ 1/ … 9/      single-digit images, one subfolder per digit
      labels.tsv      photos of rows: 'photo.jpg<TAB>40729183|1250' (rows separated by |)
      40729183.jpg    or photos of rows named after their digits (rows separated by _)

    Photos are segmented like `digitocr read` does; a photo where it finds a different number of
    digits than the label says is skipped. A fifth of each digit's samples is held out to pick the
    best epoch and to report accuracy before and after, also on the MNIST test set. A few dozen
    samples per digit take about a minute. The result is written atomically to your per-user
    model folder (or --out) and never over the model shipped with digitocr.
    """
    from functools import partial

    from rich.progress import track

    from .. import mnist, userdata

    require_torch()
    out = _output_stem(out)
    try:
        collected = userdata.collect(list(folders), partial(track, description="reading your samples", transient=True))
    except userdata.UserDataError as err:
        raise click.ClickException(str(err)) from None
    _report_collected(collected)
    if len(collected.labels) < MIN_SAMPLES:
        raise click.ClickException(f"only {len(collected.labels)} usable samples (at least {MIN_SAMPLES} needed); "
                                   "nothing was written")
    mnist_train, mnist_test = load_mnist(data_dir, download)

    from ..artifacts import save_model
    from ..finetune import FinetuneConfig, evaluate, finetune as run_finetune, holdout_split, recipe

    base_onnx, model = _shipped_model()
    config = FinetuneConfig(epochs=epochs, lr=lr, seed=seed, replay_ratio=0 if no_replay else FinetuneConfig.replay_ratio,
                            freeze_features=freeze_features)
    samples = collected.split()
    train_idx, held_idx = holdout_split(samples.labels, HOLDOUT, seed)
    user_train = mnist.Split(samples.images[train_idx], samples.labels[train_idx])
    user_held = mnist.Split(samples.images[held_idx], samples.labels[held_idx])

    before = {"held_out": evaluate(model, user_held), "mnist_test": evaluate(model, mnist_test)}
    started = time.monotonic()
    model, history, best = run_finetune(model, user_train, user_held, mnist_train, config)
    seconds = time.monotonic() - started
    after = {"held_out": evaluate(model, user_held), "mnist_test": evaluate(model, mnist_test)}
    _report_accuracy(before, after, len(held_idx), len(mnist_test.labels))

    metadata = {
        "name": out.name,
        "base_model": base_onnx.name,
        "samples_per_digit": collected.counts(),
        "train_samples": len(train_idx),
        "held_out_samples": len(held_idx),
        "before": before,
        "after": after,
        "test_accuracy": after["mnist_test"],
        "best_epoch": best["epoch"],
        "epochs": epochs,
        "seconds": round(seconds, 1),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "recipe": recipe(config),
    }
    files = save_model(model, out, metadata, history)
    click.echo(f"best epoch {best['epoch']} in {seconds:.0f} s; wrote {', '.join(str(p) for p in files.values())}")


def _shipped_model():
    """The shipped model's ONNX path and its torch weights, the starting point of fine-tuning."""
    from ..artifacts import load_model, model_files

    try:
        onnx = shipped_model_path()
    except FileNotFoundError as err:
        raise click.ClickException(str(err)) from None
    weights = model_files(onnx)["weights"]
    if not weights.is_file():
        raise click.ClickException(f"the shipped weights {weights} are missing; reinstall digitocr")
    return onnx, load_model(weights)


def _output_stem(out: Path | None) -> Path:
    """The model stem to write; refuses anything inside the shipped models folder."""
    if out is None:
        return finetuned_model_path().with_suffix("")
    shipped = shipped_models_dir().resolve()
    if shipped in out.resolve().parents:
        raise click.ClickException(f"--out {out} is inside the shipped models folder {shipped}; "
                                   "choose another place, the shipped model must stay as it is")
    return out.with_suffix("") if out.suffix in {".onnx", ".pt", ".json"} else out


def _report_collected(collected) -> None:
    skipped = collected.skipped
    for message in skipped[:SKIPPED_SHOWN]:
        click.echo(f"skipped: {message}", err=True)
    if len(skipped) > SKIPPED_SHOWN:
        click.echo(f"skipped: … and {len(skipped) - SKIPPED_SHOWN} more", err=True)
    counts = collected.counts()
    click.echo(f"{len(collected.labels)} samples ({len(skipped)} files skipped); per digit: "
               + "  ".join(f"{digit}:{n}" for digit, n in enumerate(counts)))
    missing = [str(digit) for digit, n in enumerate(counts) if n == 0]
    if missing and collected.labels:
        click.echo(f"warning: no samples of digit(s) {', '.join(missing)}; the model learns nothing new about them",
                   err=True)


def _report_accuracy(before: dict, after: dict, held_out: int, mnist_test: int) -> None:
    from rich.console import Console
    from rich.table import Table

    def shown(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2%}"

    table = Table(title="accuracy before and after fine-tuning")
    table.add_column("samples")
    table.add_column("before", justify="right")
    table.add_column("after", justify="right")
    table.add_row(f"your held-out samples ({held_out})", shown(before["held_out"]), shown(after["held_out"]))
    table.add_row(f"MNIST test set ({mnist_test:,})", shown(before["mnist_test"]), shown(after["mnist_test"]))
    Console().print(table)
