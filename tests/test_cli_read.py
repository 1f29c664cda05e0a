"""``digitocr read``: output formats, several inputs, annotation, bad input and exit codes."""
from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from digitocr.cli import main
from pages import clear_digits, compose, encode

ROWS = ["40729183", "5561"]
OTHER_ROWS = ["238", "90"]


@pytest.fixture(scope="module")
def digits(mnist_test):
    return clear_digits(mnist_test)


@pytest.fixture
def photos(tmp_path, digits):
    """Two readable pages and a blank one, in a folder."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "b.jpg").write_bytes(encode(compose(OTHER_ROWS, digits, shift=1), ".jpg"))
    (folder / "a.png").write_bytes(encode(compose(ROWS, digits)))
    (folder / "blank.png").write_bytes(encode(np.full((200, 300), 235, np.uint8)))
    return folder


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, ["read", *map(str, args)], input=stdin)


def test_one_image_prints_one_line_per_row(photos):
    result = run(photos / "a.png")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ROWS and result.stderr == ""


def test_several_images_get_grep_style_prefixes_as_given(photos, monkeypatch):
    monkeypatch.chdir(photos.parent)
    result = run("photos/b.jpg", "photos/a.png")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"photos/b.jpg:{t}" for t in OTHER_ROWS] + [f"photos/a.png:{t}" for t in ROWS]


def test_folder_reads_its_images_sorted_and_blank_page_prints_nothing(photos):
    result = run(photos)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{photos / 'a.png'}:{t}" for t in ROWS] + \
        [f"{photos / 'b.jpg'}:{t}" for t in OTHER_ROWS]
    assert run(photos / "blank.png").stdout == ""


def test_stdin(photos):
    result = run("-", stdin=(photos / "a.png").read_bytes())
    assert result.exit_code == 0 and result.stdout.splitlines() == ROWS


def test_json_lines_one_object_per_image(photos):
    result = run(photos / "a.png", photos / "blank.png", "--json")
    assert result.exit_code == 0
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in documents] == [str(photos / "a.png"), str(photos / "blank.png")]
    assert [row["text"] for row in documents[0]["rows"]] == ROWS and documents[1]["rows"] == []
    digit = documents[0]["rows"][0]["digits"][0]
    assert set(digit) >= {"label", "confidence", "runner_up", "runner_up_confidence", "box"}
    assert documents[0]["model"]


def test_table_shows_crops_confidences_and_model(photos):
    result = run(photos / "a.png", "--table")
    assert result.exit_code == 0
    out = result.stdout
    assert all(text in out for text in ROWS) and "2nd " in out and "%" in out
    assert "model digitocr" in out.replace("\n", " ")
    assert sum(out.count(block) for block in "▀▄█") > 10 * sum(map(len, ROWS))  # every crop drawn


def test_min_confidence_marks_doubtful_digits(photos):
    assert run(photos / "a.png", "--min-confidence", "1").stdout.splitlines() == ["?" * len(r) for r in ROWS]
    assert run(photos / "a.png", "--min-confidence", "0").stdout.splitlines() == ROWS


def test_annotate_one_image(photos, tmp_path):
    out = tmp_path / "checked.png"
    result = run(photos / "a.png", "--annotate", out)
    assert result.exit_code == 0 and result.stdout.splitlines() == ROWS
    original = cv2.imread(str(photos / "a.png"))
    drawn = cv2.imread(str(out))
    assert drawn.shape == original.shape
    changed = np.any(drawn != original, axis=2)
    assert 0.005 < changed.mean() < 0.5  # boxes and labels, not a different picture
    assert (drawn[..., 1].astype(int) - drawn[..., 0] > 60).any()  # coloured (green) boxes


def test_annotate_several_into_folder_or_pattern(photos, tmp_path):
    assert run(photos, "--annotate", tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.png", "b.png", "blank.png"]
    assert run(photos / "a.png", photos / "b.jpg", "--annotate", tmp_path / "{stem}-read.jpg").exit_code == 0
    assert (tmp_path / "a-read.jpg").is_file() and (tmp_path / "b-read.jpg").is_file()


def test_annotate_with_unknown_suffix_is_a_usage_error(photos, tmp_path):
    result = run(photos / "a.png", "--annotate", tmp_path / "out.gif")
    assert result.exit_code == 2 and "--annotate" in result.stderr


def test_bad_inputs_get_one_line_each_and_the_rest_is_read(photos, tmp_path):
    good = photos / "a.png"
    data = good.read_bytes()
    (tmp_path / "half.png").write_bytes(data[:len(data) // 2])
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.png").write_text("shopping list")
    bad = [tmp_path / "missing.jpg", tmp_path / "half.png", tmp_path / "empty.jpg", tmp_path / "notes.png"]
    result = run(bad[0], good, *bad[1:])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{good}:{t}" for t in ROWS]
    errors = result.stderr.splitlines()
    assert len(errors) == len(bad) and "Traceback" not in result.output
    for line, path, problem in zip(errors, bad, ["no such file", "truncated", "empty file", "not an image"]):
        assert line.startswith(f"error: {path}: ") and problem in line


def test_folder_without_images_is_reported_and_the_rest_read(photos, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path / "empty", photos / "a.png")
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {tmp_path / 'empty'}: no images")
    assert result.stdout.splitlines() == [f"{photos / 'a.png'}:{t}" for t in ROWS]


def test_a_folder_always_prefixes_its_lines(tmp_path, photos):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.png").write_bytes((photos / "a.png").read_bytes())
    assert run(tmp_path / "one").stdout.splitlines() == [f"{tmp_path / 'one' / 'a.png'}:{t}" for t in ROWS]


@pytest.mark.parametrize("model_bytes, problem", [(None, "does not exist"), (b"\x08\x01garbage", "cannot be loaded")])
def test_missing_or_corrupt_model_exits_3(photos, tmp_path, model_bytes, problem):
    model = tmp_path / "broken.onnx"
    if model_bytes is not None:
        model.write_bytes(model_bytes)
    result = run(photos / "a.png", "--model", model)
    assert result.exit_code == 3
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert str(model) in result.stderr and problem in result.stderr


def test_base_model(photos):
    assert run(photos / "a.png", "--model", "base").stdout.splitlines() == ROWS


def test_help_explains_usage_and_exit_codes():
    result = CliRunner().invoke(main, ["read", "--help"])
    assert result.exit_code == 0
    for words in ("Examples:", "Exit codes:", "--table", "--json", "--annotate", "--min-confidence", "--model", "standard input"):
        assert words in result.output


def test_usage_errors_exit_2(photos):
    assert run().exit_code == 2  # no IMAGE
    assert run(photos / "a.png", "--min-confidence", "1.5").exit_code == 2
