"""Scoring reads against labels: edit distance, ANLD and CER, per image and for a whole folder.

How rows are compared: the rows read from an image are aligned to the expected rows in order,
like a diff — the alignment with the smallest total normalised distance, where pairing two rows
costs their normalised Levenshtein distance and leaving a row unpaired costs 1. So one spurious
row (a line of specks) costs one row, not every row below it.

- Row exact-match: expected rows paired with an identical read row / expected rows.
- ANLD: the mean normalised distance over aligned pairs, missing rows and extra rows counting 1 each
  (edit distance / max(len(expected), len(read)), the ICFHR 2014 digit-string metric, per row).
- CER: character edits / expected characters; a missing row costs its length, an extra row its length.
- Image exact-match: the image read as exactly the expected rows.
Spaces (wide gaps) are ignored unless the evaluation keeps them.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .labels import Labelled
from .workers import Outcome


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, each costing 1."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def normalised_distance(expected: str, read: str) -> float:
    """Edit distance / the longer length: 0 for a perfect read, 1 when nothing matches."""
    longest = max(len(expected), len(read))
    return edit_distance(expected, read) / longest if longest else 0.0


def align_rows(expected: list[str], read: list[str]) -> list[tuple[str | None, str | None]]:
    """Pairs (expected row, read row) in order; None marks a missing or an extra row.

    Of the alignments with the smallest total distance, the one with the most exact rows wins:
    pairing two rows with nothing in common costs 1, the same as leaving both unpaired.
    """
    cost = {(0, 0): (0.0, 0)}  # (total distance, minus exact rows) of the best alignment so far
    previous = {}
    for i in range(len(expected) + 1):
        for j in range(len(read) + 1):
            options = []
            if i and j:
                e, r = expected[i - 1], read[j - 1]
                options.append((_plus(cost[i - 1, j - 1], normalised_distance(e, r), e == r), (i - 1, j - 1)))
            if i:
                options.append((_plus(cost[i - 1, j], 1.0, False), (i - 1, j)))
            if j:
                options.append((_plus(cost[i, j - 1], 1.0, False), (i, j - 1)))
            if options:
                cost[i, j], previous[i, j] = min(options)
    pairs, (i, j) = [], (len(expected), len(read))
    while (i, j) != (0, 0):
        pi, pj = previous[i, j]
        pairs.append((expected[pi] if pi < i else None, read[pj] if pj < j else None))
        i, j = pi, pj
    return pairs[::-1]


def _plus(cost: tuple[float, int], distance: float, exact: bool) -> tuple[float, int]:
    return round(cost[0] + distance, 9), cost[1] - exact  # rounded, so that equal totals compare equal


@dataclass
class ImageScore:
    path: str
    expected: list[str]
    read: list[str]
    rows_exact: int  # expected rows read exactly
    distance: float  # sum of normalised distances over aligned pairs, unpaired rows counting 1
    pairs: int  # aligned pairs plus unpaired rows: what ``distance`` is averaged over
    edits: int  # character edits
    chars: int  # expected characters

    @property
    def exact(self) -> bool:
        return self.expected == self.read

    def to_dict(self) -> dict:
        return {"path": self.path, "expected": self.expected, "read": self.read, "exact": self.exact,
                "rows_exact": self.rows_exact, "edits": self.edits}


def score(path: str, expected: list[str], read: list[str]) -> ImageScore:
    pairs = align_rows(expected, read)
    return ImageScore(
        path=path, expected=expected, read=read,
        rows_exact=sum(e == r for e, r in pairs if e is not None),
        distance=sum(normalised_distance(e or "", r or "") for e, r in pairs),
        pairs=len(pairs),
        edits=sum(edit_distance(e or "", r or "") for e, r in pairs),
        chars=sum(len(e) for e in expected),
    )


@dataclass
class Report:
    scores: list[ImageScore]
    problems: list[str] = field(default_factory=list)  # labels or images that could not be used
    seconds: float = 0.0  # loading and reading the images

    @property
    def images(self) -> int:
        return len(self.scores)

    @property
    def rows(self) -> int:
        return sum(len(s.expected) for s in self.scores)

    @property
    def image_exact(self) -> float:
        return sum(s.exact for s in self.scores) / self.images if self.images else 0.0

    @property
    def row_exact(self) -> float:
        return sum(s.rows_exact for s in self.scores) / self.rows if self.rows else 0.0

    @property
    def anld(self) -> float:
        pairs = sum(s.pairs for s in self.scores)
        return sum(s.distance for s in self.scores) / pairs if pairs else 0.0

    @property
    def cer(self) -> float:
        """Character edits / expected characters (edits / 1 when no characters were expected)."""
        return sum(s.edits for s in self.scores) / max(1, sum(s.chars for s in self.scores))

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds if self.seconds else 0.0

    def worst(self, count: int) -> list[ImageScore]:
        """The ``count`` images read worst (most character edits, then highest distance)."""
        wrong = [s for s in self.scores if not s.exact]
        return sorted(wrong, key=lambda s: (-s.edits, -s.distance / max(1, s.pairs), s.path))[:count]

    def to_dict(self) -> dict:
        return {
            "images": self.images, "rows": self.rows, "image_exact": round(self.image_exact, 4),
            "row_exact": round(self.row_exact, 4), "anld": round(self.anld, 4), "cer": round(self.cer, 4),
            "images_per_second": round(self.images_per_second, 2), "seconds": round(self.seconds, 2),
            "problems": self.problems, "files": [s.to_dict() for s in self.scores],
        }


def evaluate(items: list[Labelled], read: Callable[[list[str]], Iterable[Outcome]], keep_spaces: bool = False,
             advance: Callable[[], None] = lambda: None) -> Report:
    """Read every labelled image with ``read(sources)``, which yields one Outcome per source in order
    (workers.read_all), and score it; images that cannot be loaded are counted as problems.
    ``advance`` is called after each image."""
    report = Report([])
    started = time.perf_counter()
    for item, outcome in zip(items, read([str(item.path) for item in items])):
        if outcome.page is None:
            report.problems.append(outcome.error)
        else:
            expected = item.rows if keep_spaces else [row.replace(" ", "") for row in item.rows]
            report.scores.append(score(outcome.source, expected, outcome.page.texts(keep_spaces=keep_spaces)))
        advance()
    report.seconds = time.perf_counter() - started
    return report
