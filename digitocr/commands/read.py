"""``digitocr read``: print the rows of digits found in images, as text, JSON Lines or a table."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NoReturn

import click

# Exit codes, as listed in --help; click itself exits with 2 on wrong usage.
SOME_INPUT_FAILED, MODEL_PROBLEM = 1, 3


@click.command()
@click.argument("images", nargs=-1, required=True, metavar="IMAGE...")
@click.option("--table", "output", flag_value="table", help="Show a table: each digit's crop, confidence and runner-up.")
@click.option("--json", "output", flag_value="json", help="Print JSON Lines: one JSON object per image.")
@click.option("--annotate", "annotate_to", metavar="OUT", default=None,
              help="Also save the image with boxes, digits and confidences drawn on it. Several images: "
                   "OUT is a folder (gets STEM.png each) or a pattern with {stem}, e.g. 'out/{stem}-read.jpg'.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="P",
              help="Print '?' for digits read with a confidence below P (0..1), e.g. 0.8.")
@click.option("--rotate", type=click.Choice(["auto", "0", "90", "180", "270"]), default="auto", show_default=True,
              help="Turn each image clockwise by this many degrees before reading. 'auto' finds the turn that "
                   "makes the digits upright, for phone photos stored sideways or upside down.")
@click.option("--keep-spaces", is_flag=True,
              help="Print a space where a row has a wide gap, e.g. '555 0134 7789' (phone numbers, dates).")
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="Worker processes reading images at once, for many images [default: one per CPU core].")
@click.option("--model", default=None, metavar="PATH|base",
              help="Model to use: an .onnx file, or 'base' for the model shipped with digitocr "
                   "[default: your fine-tuned model if there is one, else base].")
def read(images, output, annotate_to, min_confidence, rotate, keep_spaces, jobs, model):
    """Read the rows of handwritten digits in IMAGE... and print one line per row, top to bottom.

    IMAGE is a JPEG, PNG, BMP, TIFF or WebP file, a folder (every image in it, sorted by name),
    or - for standard input. With several images each line starts with the image's path and a
    colon, like grep. A blank page prints nothing.

    \b
    Examples:
      digitocr read photo.jpg                  40729183
      digitocr read scans/                     scans/a.png:40729183 ...
      digitocr read photo.jpg --table          see what the model saw, digit by digit
      digitocr read photo.jpg --json | jq .    boxes, confidences, runner-ups
      digitocr read photo.jpg --min-confidence 0.8 --annotate checked.png
      cat photo.jpg | digitocr read -

    \b
    Exit codes:
      0  every image was read (finding no digits is not an error)
      1  some image could not be read or annotated (the others still were);\n         one line each on stderr
      2  wrong usage (unknown option, bad value)
      3  the model is missing or corrupt; nothing was read
    """
    from .. import writers
    from ..classifier import ModelError
    from ..reader import Reader
    from ..workers import default_jobs, read_all

    sources, failures = _expand_folders(images)
    several = len(sources) > 1 or len(images) > 1 or any(os.path.isdir(i) for i in images)
    annotation_path = _annotation_paths(annotate_to, several) if annotate_to else None
    text = partial(writers.write_text, keep_spaces=keep_spaces)
    write = {"table": writers.write_table, "json": writers.write_json}.get(output, text)
    write = partial(write, min_confidence=min_confidence, prefix=several)
    try:
        reader = Reader(model, rotate=None if rotate == "auto" else int(rotate))
    except ModelError as err:
        _fail(f"model problem: {err}", MODEL_PROBLEM)

    with _progress(len(sources)) as advance:
        for outcome in read_all(reader, sources, jobs or default_jobs(), keep_images=annotation_path is not None):
            failures += not _show(outcome, write, annotation_path, min_confidence)
            advance()
    sys.exit(SOME_INPUT_FAILED if failures else 0)


def _expand_folders(arguments: tuple[str, ...]) -> tuple[list[str], int]:
    """Arguments with each folder replaced by its images; and how many folders had none (reported)."""
    from ..loading import IMAGE_SUFFIXES, folder_images

    sources, empty = [], 0
    for argument in arguments:
        if argument == "-" or not os.path.isdir(argument):
            sources.append(argument)
        elif found := folder_images(argument):
            sources += found
        else:
            _error(f"{argument}: no images ({' '.join(sorted(IMAGE_SUFFIXES))}) in this folder")
            empty += 1
    return sources, empty


def _show(outcome, write, annotation_path, min_confidence: float | None) -> bool:
    """Print and maybe annotate one image's page; on failure say why on stderr and return False."""
    from .. import writers

    if outcome.page is None:
        _error(outcome.error)
        return False
    write(outcome.page)
    if annotation_path is None:
        return True
    target = annotation_path(outcome.source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        writers.write_image(writers.annotate(outcome.page, outcome.image, min_confidence), target)
    except OSError as err:
        _error(f"{target}: cannot write the annotated image ({err.strerror or err})")
        return False
    return True


@contextmanager
def _progress(total: int):
    """A progress bar on stderr while many images are read into a file or a pipe; else nothing."""
    if total < 2 or sys.stdout.isatty() or not sys.stderr.isatty():
        yield lambda: None  # on a terminal the results themselves show the progress
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("reading", total=total)
        yield lambda: progress.advance(task)


def _annotation_paths(annotate_to: str, several: bool):
    """OUT → function source → output path: a file (one image), a folder, or a {stem} pattern."""
    from ..loading import IMAGE_SUFFIXES

    if "{stem}" not in annotate_to and (several or Path(annotate_to).is_dir()):
        annotate_to = str(Path(annotate_to) / "{stem}.png")
    if Path(annotate_to).suffix.lower() not in IMAGE_SUFFIXES:
        raise click.BadParameter(f"{annotate_to!r} must end in one of {' '.join(sorted(IMAGE_SUFFIXES))}",
                                 param_hint="--annotate")
    return lambda source: Path(annotate_to.replace("{stem}", "stdin" if source == "-" else Path(source).stem))


def _error(message: str) -> None:
    click.secho(f"error: {message}", err=True, fg="red")


def _fail(message: str, code: int) -> NoReturn:
    _error(message)
    sys.exit(code)
