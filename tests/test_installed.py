"""The installed console script, run as a user would: from another folder, on the bundled samples."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

DIGITOCR = shutil.which("digitocr", path=str(Path(sys.executable).parent)) or "digitocr"


def test_read_from_any_folder_uses_the_shipped_model(tmp_path):
    labels = dict(line.split("\t") for line in (REPO / "samples" / "labels.tsv").read_text().splitlines() if line)
    name = "three-rows.jpg"
    shutil.copy(REPO / "samples" / name, tmp_path / name)
    result = subprocess.run([DIGITOCR, "read", name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == labels[name].split("|")


def test_missing_file_is_one_line_on_stderr(tmp_path):
    result = subprocess.run([DIGITOCR, "read", "nope.jpg"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "nope.jpg" in result.stderr
