"""Write a labelled folder of generated photo-like pages for ``digitocr eval``.

    python scripts/make_pages.py --tier photo --count 300 --seed 2 --out /tmp/photo-pages
    digitocr eval /tmp/photo-pages

Pages are made of MNIST *test* digits only (from --data, default $DIGITOCR_DATA).
"""
from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress

from digitocr.mnist import DataError
from digitocr.synth import TIERS, test_digits, write_pages


@click.command()
@click.option("--tier", type=click.Choice(list(TIERS)), default="photo", show_default=True)
@click.option("--count", type=click.IntRange(1), default=100, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="MNIST folder [default: $DIGITOCR_DATA].")
def main(tier, count, seed, out, data):
    try:
        digits = test_digits(data)
    except DataError as err:
        raise click.ClickException(str(err)) from None
    with Progress(transient=True) as progress:
        task = progress.add_task(f"{tier} pages", total=count)
        labels = write_pages(out, digits, TIERS[tier], count, seed, advance=lambda: progress.advance(task))
    click.echo(f"wrote {count} {tier} pages and {labels}")


if __name__ == "__main__":
    main()
