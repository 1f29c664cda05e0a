"""Metrics on hand-made cases, labelled folders (good and broken), and the ``eval`` command."""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from digitocr.cli import main
from digitocr.evaluate import Report, align_rows, edit_distance, evaluate, normalised_distance, score
from digitocr.labels import read_labels, write_labels
from digitocr.workers import read_one

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("a, b, distance", [
    ("", "", 0), ("123", "123", 0), ("123", "", 3), ("", "45", 2),
    ("1234", "1284", 1),  # substitution
    ("1234", "124", 1),  # deletion
    ("124", "1234", 1),  # insertion
    ("4072", "0472", 2),  # a swap is two edits
    ("kitten", "sitting", 3),
])
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_normalised_distance_divides_by_the_longer_string():
    assert normalised_distance("1234", "1284") == pytest.approx(0.25)
    assert normalised_distance("12", "1234") == pytest.approx(0.5)
    assert normalised_distance("", "") == 0.0
    assert normalised_distance("123", "") == 1.0


def test_rows_align_like_a_diff():
    assert align_rows(["111", "222"], ["111", "222"]) == [("111", "111"), ("222", "222")]
    # A spurious row at the top costs one row, it does not shift every row below it.
    assert align_rows(["111", "222"], ["9", "111", "222"]) == [(None, "9"), ("111", "111"), ("222", "222")]
    assert align_rows(["111", "222", "333"], ["111", "333"]) == [("111", "111"), ("222", None), ("333", "333")]
    assert align_rows(["1234"], ["1284"]) == [("1234", "1284")]
    assert align_rows([], ["5"]) == [(None, "5")]


def test_score_of_one_image():
    perfect = score("a.jpg", ["4072", "91"], ["4072", "91"])
    assert perfect.exact and perfect.rows_exact == 2 and perfect.distance == 0 and perfect.edits == 0

    s = score("b.jpg", ["4072", "91", "555"], ["4079", "555", "7"])
    # pairs: 4072~4079 (1/4), 91 missing (1), 555=555 (0), 7 extra (1)
    assert not s.exact
    assert s.rows_exact == 1
    assert s.pairs == 4 and s.distance == pytest.approx(2.25)
    assert s.edits == 1 + 2 + 0 + 1 and s.chars == 9


def test_report_totals():
    report = Report([score("a", ["12", "34"], ["12", "34"]), score("b", ["5678"], ["5078"]), score("c", ["90"], [])],
                    seconds=2.0)
    assert report.images == 3 and report.rows == 4
    assert report.image_exact == pytest.approx(1 / 3)
    assert report.row_exact == pytest.approx(2 / 4)
    assert report.anld == pytest.approx((0 + 0 + 0.25 + 1) / 4)
    assert report.cer == pytest.approx((1 + 2) / 10)
    assert report.images_per_second == pytest.approx(1.5)
    assert [s.path for s in report.worst(5)] == ["c", "b"]
    assert json.loads(json.dumps(report.to_dict()))["row_exact"] == 0.5


def _image(folder, name):
    cv2.imwrite(str(folder / name), np.full((20, 20), 255, np.uint8))


def test_labels_file_problems_are_reported_and_the_rest_kept(tmp_path):
    for name in ("a.png", "b.png", "c.png"):
        _image(tmp_path, name)
    (tmp_path / "labels.tsv").write_text(
        "# comment\n"
        "a.png\t4072|91\n"
        "\n"
        "b.png\t061 234 5678\n"
        "missing.png\t12\n"
        "c.png 12\n"  # no tab
        "c.png\t12x\n"  # not digits
        "a.png\t5\n"  # twice
        "c.png\t\n")  # blank page
    items, problems = read_labels(tmp_path)
    assert [(i.path.name, i.rows) for i in items] == [("a.png", ["4072", "91"]), ("b.png", ["061 234 5678"]), ("c.png", [])]
    assert len(problems) == 4
    assert "labels.tsv:5" in problems[0] and "does not exist" in problems[0]
    assert "labels.tsv:6" in problems[1] and "path<TAB>" in problems[1]
    assert "labels.tsv:7" in problems[2] and "digits" in problems[2]
    assert "labels.tsv:8" in problems[3] and "twice" in problems[3]


def test_labels_from_file_names(tmp_path):
    for name in ("40729183_1250.jpg", "1250-2.png", "holiday.jpg"):
        _image(tmp_path, name)
    (tmp_path / "notes.txt").write_text("not an image")
    items, problems = read_labels(tmp_path)
    assert sorted((i.path.name, i.rows) for i in items) == [("1250-2.png", ["1250"]), ("40729183_1250.jpg", ["40729183", "1250"])]
    assert len(problems) == 1 and "holiday.jpg" in problems[0]


def test_write_then_read_labels(tmp_path):
    _image(tmp_path, "p.png")
    write_labels(tmp_path, [("p.png", ["12 34", "5"])])
    items, problems = read_labels(tmp_path)
    assert problems == [] and items[0].rows == ["12 34", "5"]


class FakeReader:
    """Reads every image as the rows given for its file name."""

    def __init__(self, rows_by_name):
        self.rows_by_name = rows_by_name

    def read(self, image, source):
        return FakePage(self.rows_by_name[source.rsplit("/", 1)[-1]])

    def read_all(self, sources):
        return (read_one(self, source) for source in sources)


class FakePage:
    def __init__(self, rows):
        self.rows = rows

    def texts(self, keep_spaces=False):
        return [r if keep_spaces else r.replace(" ", "") for r in self.rows]


def test_evaluate_scores_readable_images_and_counts_unreadable_ones(tmp_path):
    _image(tmp_path, "a.png")
    _image(tmp_path, "b.png")
    (tmp_path / "broken.png").write_bytes(b"not a png")
    write_labels(tmp_path, [("a.png", ["12 34"]), ("b.png", ["56"]), ("broken.png", ["7"])])
    items, problems = read_labels(tmp_path)
    assert problems == []
    read = FakeReader({"a.png": ["12 34"], "b.png": ["58"]})
    steps = []
    report = evaluate(items, read.read_all, advance=lambda: steps.append(1))
    assert len(steps) == 3 and report.images == 2 and len(report.problems) == 1 and "broken.png" in report.problems[0]
    assert report.row_exact == 0.5 and report.scores[0].expected == ["1234"]
    spaced = evaluate(items, FakeReader({"a.png": ["1234"], "b.png": ["56"]}).read_all, keep_spaces=True)
    assert spaced.scores[0].expected == ["12 34"] and not spaced.scores[0].exact


def test_eval_command_on_the_samples_json():
    result = CliRunner().invoke(main, ["eval", str(SAMPLES), "--json", "--model", "base"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["images"] >= 8 and report["problems"] == []
    assert 0.0 <= report["row_exact"] <= 1.0 and len(report["files"]) == report["images"]


def test_eval_command_table_and_problems(tmp_path):
    # Two sample images, one labelled wrongly on purpose, one label naming a missing file.
    names = ["three-rows.jpg", "chalkboard.jpg"]
    for name in names:
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    (tmp_path / "labels.tsv").write_text("three-rows.jpg\t1|2|3\nchalkboard.jpg\t" + _sample_field("chalkboard.jpg")
                                         + "\ngone.jpg\t12\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--model", "base"])
    assert result.exit_code == 0, result.output
    assert "gone.jpg" in result.output and "does not exist" in result.output
    assert "row exact" in result.output and "three-rows.jpg" in result.output  # listed among the worst


def _sample_field(name):
    for line in (SAMPLES / "labels.tsv").read_text().splitlines():
        if line.startswith(name + "\t"):
            return line.split("\t", 1)[1]
    raise AssertionError(f"{name} not in samples/labels.tsv")


def test_eval_command_fails_when_nothing_can_be_evaluated(tmp_path):
    (tmp_path / "labels.tsv").write_text("gone.jpg\t12\n")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--model", "base"])
    assert result.exit_code == 1
    assert "nothing" in result.output and "gone.jpg" in result.output


def test_eval_command_model_problem(tmp_path):
    _image(tmp_path, "12.png")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--model", str(tmp_path / "none.onnx")])
    assert result.exit_code == 3 and "model" in result.output
