"""Output formats, one small writer per format: text lines, JSON Lines, a rich table, an annotated image.

Every writer takes a finished Page; none of them reads images or runs the model. The three printing
writers share one signature so that the command can pick one; a format ignores what it has no use
for. ``min_confidence`` of None means "no threshold given": nothing becomes ``?`` and highlighting
uses HIGHLIGHT_BELOW.
"""
from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import click
import cv2
import numpy as np

from .results import Digit, Page

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

HIGHLIGHT_BELOW = 0.9  # table and annotation flag digits below this confidence unless told otherwise
CROP_SIDE = 14  # crops are shown at half MNIST resolution: 14 characters × 7 lines per digit
GREY_LEVELS = 8
GOOD, DOUBTFUL = (40, 160, 40), (0, 90, 230)  # BGR box colours of the annotated image


def write_text(page: Page, min_confidence: float | None = None, prefix: bool = False, keep_spaces: bool = False) -> None:
    """One line per row; ``prefix`` puts ``source:`` in front, grep-style. A blank page prints nothing."""
    for text in page.texts(min_confidence or 0.0, keep_spaces):
        click.echo(f"{page.source}:{text}" if prefix else text)


def write_json(page: Page, min_confidence: float | None = None, prefix: bool = False) -> None:
    """The page as one JSON object on one line (JSON Lines: one line per image, in input order)."""
    click.echo(json.dumps(page.to_dict(), ensure_ascii=False))


def write_table(page: Page, min_confidence: float | None = None, prefix: bool = False,
                console: Console | None = None) -> None:
    """A rich table: one line per row with its text, confidence and every digit's crop as the model saw it."""
    from rich.columns import Columns
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    console = console or Console(highlight=False)
    low = HIGHLIGHT_BELOW if min_confidence is None else min_confidence
    colour = console.color_system is not None
    digits = sum(len(row.digits) for row in page.rows)
    # Text objects, not markup strings: a file name like "page[2].jpg" must print as it is.
    table = Table(title=Text.assemble((page.source, "bold"), f"  {page.width}×{page.height}"), title_justify="left",
                  caption=Text(f"model {page.model} · {_count(len(page.rows), 'row')}, {_count(digits, 'digit')} · "
                               f"highlighted: confidence below {low:.0%}"),
                  caption_justify="left", show_lines=True)
    table.add_column("Row", justify="right")
    table.add_column("Read", no_wrap=True)
    table.add_column("Digits: what the model saw, its reading, the runner-up")
    for number, row in enumerate(page.rows, 1):
        read = Group(Text(row.text(min_confidence or 0.0), style="bold"), Text(f"{row.confidence:.1%} sure", style="dim"))
        cards = [Group(halfblocks(d.crop, colour), _digit_line(d, low), Text(_runner_up(d), style="dim"))
                 for d in row.digits]
        table.add_row(str(number), read, Columns(cards, padding=(0, 1)))
    if not page.rows:
        table.add_row("", Text("no digits found", style="dim"), "")
    console.print(table)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _digit_line(digit: Digit, low: float) -> Text:
    from rich.text import Text

    style = "bold white on red" if digit.confidence < low else "bold green"
    return Text.assemble((f" {digit.label} ", style), f" {digit.confidence:.0%}")


def _runner_up(digit: Digit) -> str:
    return f"2nd {digit.runner_up} {digit.runner_up_confidence:.0%}"


def halfblocks(crop: np.ndarray, colour: bool = True) -> Text:
    """A 28×28 crop as CROP_SIDE characters × CROP_SIDE/2 lines of '▀' (top pixel: foreground colour,
    bottom pixel: background colour). Without colours, ink is drawn with '▀', '▄' and '█'."""
    from rich.text import Text

    small = cv2.resize(crop, (CROP_SIDE, CROP_SIDE), interpolation=cv2.INTER_AREA)
    # A few grey levels look the same, and neighbours sharing a style are drawn as one run.
    small = np.rint(np.rint(small / 255 * (GREY_LEVELS - 1)) * 255 / (GREY_LEVELS - 1)).astype(np.uint8)
    lines = []
    for top_row, bottom_row in zip(small[0::2], small[1::2]):
        line = Text(no_wrap=True)
        for (top, bottom), run in groupby(zip(top_row, bottom_row)):
            width = len(list(run))
            if colour:
                line.append("▀" * width, style=f"rgb({top},{top},{top}) on rgb({bottom},{bottom},{bottom})")
            else:
                line.append(" ▄▀█"[2 * (top >= 128) + (bottom >= 128)] * width)
        lines.append(line)
    return Text("\n", no_wrap=True).join(lines)


def annotate(page: Page, image: np.ndarray, min_confidence: float | None = None) -> np.ndarray:
    """A colour copy of the image with every digit's box, its label above and its confidence below."""
    low = HIGHLIGHT_BELOW if min_confidence is None else min_confidence
    canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image.copy()
    line = max(1, round(max(canvas.shape[:2]) / 800))
    for digit in (d for row in page.rows for d in row.digits):
        box, colour = digit.box, GOOD if digit.confidence >= low else DOUBTFUL
        cv2.rectangle(canvas, (box.x, box.y), (box.x + box.w - 1, box.y + box.h - 1), colour, line)
        # Label and confidence go on separate sides so they stay within a narrow digit's width.
        _tag(canvas, digit.label, box.x, box.y, box.h / 45, colour, above=True)
        _tag(canvas, f"{digit.confidence:.0%}", box.x, box.y + box.h, box.h / 110, colour, above=False)
    return canvas


def _tag(canvas: np.ndarray, text: str, x: int, y: int, scale: float, colour, above: bool) -> None:
    """White text on a filled box of the digit's colour, just above or just below ``(x, y)``."""
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.3, scale)
    thickness = max(1, round(scale * 1.5))
    (w, h), baseline = cv2.getTextSize(text, font, scale, thickness)
    top = y - h - baseline - 2 if above else y
    top = min(max(top, 0), canvas.shape[0] - h - baseline - 2)  # keep it inside the picture
    cv2.rectangle(canvas, (x, top), (x + w + 2, top + h + baseline + 2), colour, cv2.FILLED)
    cv2.putText(canvas, text, (x + 1, top + h + 1), font, scale, (255, 255, 255), thickness, cv2.LINE_AA)


def write_image(image: np.ndarray, path: Path) -> None:
    """Encode by the file's suffix and write (works for non-ASCII paths, unlike cv2.imwrite)."""
    ok, encoded = cv2.imencode(path.suffix.lower(), image)
    if not ok:
        raise OSError(f"cannot encode an image as {path.suffix!r}")
    path.write_bytes(encoded.tobytes())
