"""``digitocr eval``: read every image of a labelled folder and report how well it went."""
from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click

MODEL_PROBLEM = 3  # exit code, as for ``digitocr read``; the others are listed in --help


@click.command("eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object (metrics, problems, every file).")
@click.option("--worst", type=click.IntRange(0), default=10, show_default=True, help="How many of the worst files to list.")
@click.option("--keep-spaces", is_flag=True, help="Also score the spaces that mark wide gaps inside rows.")
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="Worker processes reading images at once [default: one per CPU core].")
@click.option("--model", default=None, metavar="PATH|base",
              help="Model to use: an .onnx file, or 'base' for the model shipped with digitocr "
                   "[default: your fine-tuned model if there is one, else base].")
def evaluate(folder, as_json, worst, keep_spaces, jobs, model):
    """Read every image in FOLDER and compare with its labels.

    Labels come from FOLDER/labels.tsv, one line per image: path<TAB>row1|row2|… (path relative
    to FOLDER, rows top to bottom). Without labels.tsv, file names are the labels: rows separated
    by '_', e.g. 40729183_1250.jpg, optionally followed by '-' and anything (1250-2.jpg).

    \b
    Reports:
      row exact    rows read exactly right / expected rows
      image exact  images whose rows all read exactly right
      ANLD         average normalised edit distance per row (a missing or extra row counts 1)
      CER          character edits / expected characters
      images/s     loading and reading, the model loaded once per worker

    Labels that cannot be used (malformed lines, missing images, unreadable files) are listed,
    counted as problems, and the rest is still evaluated.

    \b
    Exit codes:
      0  at least one image was evaluated
      1  nothing could be evaluated
      2  wrong usage (unknown option, FOLDER missing)
      3  the model is missing or corrupt
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..classifier import ModelError
    from ..evaluate import evaluate as run
    from ..labels import read_labels
    from ..reader import Reader
    from ..workers import default_jobs, read_all

    items, problems = read_labels(folder)
    try:
        reader = Reader(model)
    except ModelError as err:
        click.echo(f"Error: model problem: {err}", err=True)
        raise SystemExit(MODEL_PROBLEM) from None
    errors = Console(stderr=True, highlight=False)
    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=errors, transient=True, disable=as_json) as progress:
        task = progress.add_task("read", total=len(items))
        read = partial(read_all, reader, jobs=jobs or default_jobs())
        report = run(items, read, keep_spaces, advance=lambda: progress.advance(task))
    report.problems[:0] = problems
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for problem in report.problems:
            errors.print(f"[yellow]problem:[/] {problem}", markup=True, soft_wrap=True)
    if not report.images:
        count = len(report.problems)
        raise click.ClickException(f"nothing in {folder} could be evaluated ({count} problem{'s' * (count != 1)})")
    if not as_json:
        _print_report(report, worst)


def _print_report(report, worst: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    summary = Table(title="digitocr eval", title_justify="left", show_header=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    summary.add_row("images", f"{report.images}  ({report.rows} rows)")
    summary.add_row("row exact", f"{report.row_exact:.2%}")
    summary.add_row("image exact", f"{report.image_exact:.2%}")
    summary.add_row("ANLD", f"{report.anld:.4f}")
    summary.add_row("CER", f"{report.cer:.2%}")
    summary.add_row("images/s", f"{report.images_per_second:.1f}")
    summary.add_row("problems", str(len(report.problems)))
    console.print(summary)
    wrong = report.worst(worst)
    if not wrong:
        return
    table = Table(title=f"worst {len(wrong)} files", title_justify="left", show_lines=True)
    table.add_column("file", overflow="fold")
    table.add_column("expected", no_wrap=True)
    table.add_column("read", no_wrap=True)
    table.add_column("edits", justify="right")
    for s in wrong:
        read = "\n".join(row if row in s.expected else f"[red]{row}[/]" for row in s.read)
        table.add_row(s.path, "\n".join(s.expected), read or "[dim](nothing)[/]", str(s.edits))
    console.print(table)
