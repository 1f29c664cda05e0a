"""Regenerate docs/read-table.svg: rich's SVG export of ``digitocr read samples/three-rows.jpg --table``.

    python docs/read-table.py

It calls the same writer as ``--table``, on a recording console of a fixed width.
"""
from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from digitocr.loading import load_image
from digitocr.reader import Reader
from digitocr.writers import write_table

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "samples/three-rows.jpg"

console = Console(file=io.StringIO(), record=True, width=110, force_terminal=True, color_system="truecolor")
write_table(Reader().read(load_image(REPO / SAMPLE), SAMPLE), console=console)
console.save_svg(str(REPO / "docs" / "read-table.svg"), title=f"digitocr read {SAMPLE} --table")
