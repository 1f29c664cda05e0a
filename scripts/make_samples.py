"""Regenerate the bundled sample photos in samples/ and their expected rows in samples/labels.tsv.

    python scripts/make_samples.py            # writes samples/
    python scripts/make_samples.py --out DIR  # anywhere else (the tests compare with samples/)

Each sample is one generated page (MNIST *test* digits only) from fixed knobs and a fixed seed,
so the files are the same on every run. The seeds were chosen among the first few so that each
page shows what its name says and reads right; the pages themselves are not retouched.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from digitocr.labels import write_labels
from digitocr.mnist import DataError
from digitocr.synth import TIERS, page, test_digits

CLEAN, PHOTO = TIERS["clean"], TIERS["photo"]
# Every sample: separated digits (touching digits and separators are for the benchmark tiers).
CALM = replace(PHOTO, touching_chance=0.0, separator_chance=0.0, broken_chance=0.0, chalkboard_chance=0.0,
               ruled_chance=0.0, squared_chance=0.0, desk_chance=0.0, specks=(0, 3), long_row_chance=0.0)

SAMPLES = {  # file name: (knobs, seed)
    "three-rows.jpg": (replace(CLEAN, rows=(3, 3), digits_per_row=(6, 9), texture=(0.02, 0.03)), 107),
    "ruled-ballpoint.jpg": (replace(CALM, ruled_chance=1.0, pencil_chance=0.0, rows=(2, 3), shadow_chance=1.0), 202),
    "squared-pencil.jpg": (replace(CALM, squared_chance=1.0, pencil_chance=1.0, rows=(2, 2)), 310),
    "chalkboard.jpg": (replace(CALM, chalkboard_chance=1.0, rows=(2, 2), digit_height_px=(50.0, 70.0)), 400),
    "broken-stroke.jpg": (replace(CALM, broken_chance=1.0, rows=(1, 1), digits_per_row=(4, 5), pencil_chance=0.0), 502),
    "desk-perspective.jpg": (replace(CALM, desk_chance=1.0, rotation_deg=6.0, perspective=0.08, rows=(2, 3)), 602),
    "blurry-jpeg.jpg": (replace(CALM, blur_sigma=(1.2, 1.5), noise_sigma=(4.0, 6.0), jpeg_quality=(35, 45), rows=(2, 2)), 700),
    "phone-number.jpg": (replace(CALM, group_chance=1.0, digits_per_row=(10, 10), rows=(1, 2), slope_deg=2.0), 800),
    "uneven-light.jpg": (replace(CALM, uneven_light=(0.45, 0.55), shadow_chance=1.0, rows=(2, 4)), 904),
}


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path(__file__).resolve().parent.parent / "samples",
              show_default="samples/ of this checkout")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="MNIST folder [default: $DIGITOCR_DATA].")
def main(out, data):
    try:
        digits = test_digits(data)
    except DataError as err:
        raise click.ClickException(str(err)) from None
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, (knobs, seed) in SAMPLES.items():
        made = page(digits, knobs, seed)
        (out / name).write_bytes(made.jpeg)
        entries.append((name, made.rows))
        click.echo(f"{name}: {' | '.join(made.rows)}  ({len(made.jpeg) // 1024} KB)")
    write_labels(out, entries)


if __name__ == "__main__":
    main()
