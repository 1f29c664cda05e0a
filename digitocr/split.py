"""Touching digits: over-segment wide blobs at candidate cuts, then let the classifier choose.
The same choice joins a stroke that broke off a digit back onto it.

A blob that is wide for its row may hold 2 to 4 touching digits. We propose cuts where
touching digits usually meet — minima of the vertical ink projection, valleys of the upper
and lower contours — each as a straight cut and as the least-ink path near it (the idea
behind drop-fall). Every way of reading the blob as 1 to 4 pieces is a hypothesis, and each
blob keeps the hypothesis with the best score: the pieces' log-probabilities plus a prior that
penalises shapes no single digit has (too wide, too short) and pieces that look like no digit
at all, and a fixed cost per cut. The caller classifies a page's blobs whole in one batch; only a
wide blob whose reading whole scores no better than one cut costs gets hypotheses (a better whole
reading beats every path with a cut: cutting it would be wasted work), their pieces classified
in more batches (``reconsider``). Digits that overlap much can make a blob no wider than one
digit: a narrow blob the classifier reads whole too unsurely gets the same hypotheses. Where no
cut separates two overlapping digits, the pair model (pairs.py) may read the blob whole as two
digits: its reading competes with the paths.

A short blob right beside a neighbour may be a stroke that broke off it (a 6's hook, a 5's
flag) rather than a digit of its own: the pair gets the hypothesis "one digit" too, read
whole, against "two digits", read as the two blobs. A mark beside a narrow digit's top, too
short to stand for a digit (rows.drop_marks), is read with the digit against the digit without it.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Callable

import cv2
import numpy as np

from .normalize import to_mnist
from .results import Box
from .segment import Blob

TRIGGER_WIDTH = 0.75  # blobs at least this wide (× row digit height) get split hypotheses
# ... and so do narrower ones at least this wide that the model reads whole less surely than
# DOUBTFUL_BELOW: two overlapping digits (a "11", a "71") can be as narrow as one.
DOUBTFUL_WIDTH, DOUBTFUL_BELOW = 0.4, 0.4
MIN_PIECE_WIDTH = 0.12  # no cut closer than this (× row height) to an edge or another cut
MIN_PIECE_HEIGHT = 0.3  # pieces shorter than this (× row height) are scraps, not digits
CUTS_PER_HEIGHT, MAX_CUTS = 4, 6  # candidate cuts kept per row height of blob width, and at most
# Blobs narrower than these (× row height) are not read as three, or four, digits.
THREE_FROM, FOUR_FROM = 1.2, 2.0
# A blob shorter than BROKEN_OFF (× row height) at most JOIN_GAP from its neighbour may be part of
# it, if the two together are no wider than JOIN_WIDTH.
BROKEN_OFF, JOIN_GAP, JOIN_WIDTH = 0.75, 0.15, 1.0
# Straight cuts always tried, by the most digits a blob may hold.
EVEN_SHARES = {2: (1 / 2,), 3: (1 / 3, 1 / 2, 2 / 3), 4: (1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4)}
PATH_BAND = 0.2  # the least-ink path strays at most this far (× row height) from its start
STEP_COST = 0.15  # cost of one sideways pixel step of a path, vs. 1 for crossing an ink pixel
# Scoring weights, tuned on touching pairs and triples and on wide single digits made from MNIST
# *training* digits (the tests measure on test digits).
CUT_COST = 0.25  # log-score paid per cut: a wide single digit read confidently stays whole
CROSSING_COST = 0.25  # ... and per stroke a cut crosses beyond the one where two digits touch
WIDE_FROM, WIDE_COST = 1.3, 3.0  # pieces wider than WIDE_FROM × row height pay WIDE_COST per unit
SHORT_FROM, SHORT_COST = 0.65, 4.0  # pieces shorter than SHORT_FROM × row height likewise
# A piece much wider than its label's digits usually are (a "1" as wide as a "0") is suspect:
# mean and spread of log(width / height) per class in MNIST's training set.
LOG_ASPECT_MEAN = np.array([-0.12, -1.01, -0.08, -0.26, -0.27, -0.09, -0.36, -0.29, -0.31, -0.43])
LOG_ASPECT_STD = np.array([0.22, 0.49, 0.24, 0.23, 0.23, 0.29, 0.23, 0.23, 0.24, 0.21])
ASPECT_FROM, ASPECT_COST = 0.5, 0.25  # free up to ASPECT_FROM standard deviations, then quadratic
# Log-score paid by a piece that looks like no digit at all, such as two touching digits read whole;
# chosen among 0.5, 1 and 2 on the generated tier pages. The bar is set a little above the model's
# own "no digit" level (DIGIT_LIKE, 0.3): two overlapping digits read whole often just clear that,
# while the cut pieces of the same pair rarely read surely either. 0.3 / 0.4 / 0.5 tried on the tier
# pages: 0.4 read most rows right.
NOT_DIGIT_COST, NOT_DIGIT_BELOW = 2.0, 0.4
# The pair model's reading of a blob competes as a path with one cut, and only if it is this sure of
# both digits: odd single digits (a 4 drawn like an "h") read as pairs less surely than real pairs do.
# On the tier pages 0.6 read the most hard rows (0, 0.6 and 0.8 tried); 0.8 kept one or two more clean
# rows but lost 1% of hard ones. Costs beyond the cut's (-0.5, 0.5, 1) did not help.
PAIR_SURE = 0.6

Reading = tuple[int, np.ndarray]  # a digit: the index of the piece where it is, and its ten probabilities


@dataclass
class Hypotheses:
    """The ways of reading one blob: ``paths`` index ``pieces``, left to right; path 0 is the blob whole."""
    blob: Blob
    pieces: list[Blob]
    paths: list[tuple[int, ...]]
    extra_strokes: list[int]  # per path: strokes its cuts cross beyond one per cut
    may_be_pair: bool = False  # cut into pieces: the pair model reads the blob too

    def kept(self, keep: list[bool]) -> Hypotheses:
        """Only the paths marked in ``keep``, and the pieces they use (the same objects)."""
        paths = [path for path, marked in zip(self.paths, keep) if marked]
        used = sorted({i for path in paths for i in path})
        renumbered = {old: new for new, old in enumerate(used)}
        return Hypotheses(self.blob, [self.pieces[i] for i in used], [tuple(renumbered[i] for i in path) for path in paths],
                          [extra for extra, marked in zip(self.extra_strokes, keep) if marked], self.may_be_pair)


@dataclass
class Plan:
    """A page's blobs with all their readings. Classify ``pieces`` in one batch, then ``choose``."""
    rows: list[list[Hypotheses]]
    heights: list[float]  # each row's digit height

    @property
    def pieces(self) -> list[Blob]:
        return [piece for row in self.rows for hyp in row for piece in hyp.pieces]

    @property
    def pair_blobs(self) -> list[Blob]:
        """The blobs that may be two touching digits, for the pair model."""
        return [hyp.blob for row in self.rows for hyp in row if hyp.may_be_pair]

    @property
    def blobs(self) -> list[tuple[Hypotheses, float]]:
        """Every blob's hypotheses, with its row's digit height."""
        return [(hyp, height) for row, height in zip(self.rows, self.heights) for hyp in row]

    @property
    def whole(self) -> list[int]:
        """For every blob, the index in ``pieces`` of the blob itself, unsplit."""
        starts = np.cumsum([0] + [len(hyp.pieces) for hyp, _ in self.blobs])
        return [int(i) for i in starts[:-1]]

    def widened(self, probabilities: np.ndarray) -> Plan:
        """This plan, with split hypotheses for the blobs that their reading whole (``probabilities``
        of ``pieces``) leaves in doubt; the pieces already classified are the same objects."""
        whole = dict(zip(map(id, self.pieces), probabilities))
        rows = [[hypotheses(hyp.blob, height, split_trigger(hyp.blob, whole[id(hyp.blob)], height))
                 if len(hyp.pieces) == 1 else hyp
                 for hyp in row] for row, height in zip(self.rows, self.heights)]
        return Plan(rows, self.heights)

    def kept(self, keep: Callable[[Hypotheses, float], list[bool]]) -> Plan:
        """This plan with only the paths that ``keep(hypotheses, row height)`` marks."""
        return Plan([[hyp.kept(keep(hyp, height)) for hyp in row] for row, height in zip(self.rows, self.heights)],
                    self.heights)

    def scores(self, probabilities: np.ndarray) -> list[np.ndarray]:
        """Every blob's ``path_scores``, its pieces read with ``probabilities`` (of ``pieces``)."""
        return [path_scores(hyp, probabilities[start:start + len(hyp.pieces)], height)
                for (hyp, height), start in zip(self.blobs, self.whole)]

    def choose(self, probabilities: np.ndarray, pairs: np.ndarray | None = None) -> list[list[Reading]]:
        """Each row's digits, every blob read the best-scoring way. ``probabilities``: of ``pieces``;
        ``pairs``: the pair model's (K×2×10) of ``pair_blobs``, or None without a pair model."""
        chosen, start = [], 0
        pair_readings = iter(pairs if pairs is not None else [])
        for row, height in zip(self.rows, self.heights):
            digits = []
            for hyp in row:
                pair = next(pair_readings) if hyp.may_be_pair and pairs is not None else None
                digits += [(start + i, p) for i, p in best_reading(hyp, probabilities[start:start + len(hyp.pieces)], height, pair)]
                start += len(hyp.pieces)
            chosen.append(digits)
        return chosen


def split_trigger(blob: Blob, probabilities: np.ndarray, height: float) -> float:
    """How wide (× ``height``) ``blob``, read whole with these ``probabilities``, must be to get split
    hypotheses. A reading whole that scores above one cut's cost wins against every path with a
    cut (each pays that cost, and log-probabilities are never positive) and against the pair
    model (which pays it too): such a blob is not cut at all."""
    confidence = probabilities.max()
    if confidence < DOUBTFUL_BELOW:
        return DOUBTFUL_WIDTH
    score = confidence_score(confidence) + shape_prior(blob, int(probabilities.argmax()), height)
    return TRIGGER_WIDTH if score <= -CUT_COST else np.inf


def reconsider(plan: Plan, crops: np.ndarray, probabilities: np.ndarray,
               predict: Callable[[np.ndarray], np.ndarray]) -> tuple[Plan, np.ndarray, np.ndarray]:
    """``plan`` widened to the blobs whose reading whole leaves them in doubt, with the ``crops`` and
    ``probabilities`` of its pieces. Only new pieces are classified, in two more batches: those of
    the paths of one or two pieces (which the pair model's reading also competes with), then those
    of longer paths that may still score better than the best of them (a third of the pieces on
    hard pages are never read)."""
    wider = plan.widened(probabilities)
    short = wider.kept(lambda hyp, _: [len(path) <= 2 for path in hyp.paths])
    short, crops, probabilities = classified(plan, short, crops, probabilities, predict)
    best = {id(hyp.blob): scores.max() for (hyp, _), scores in zip(short.blobs, short.scores(probabilities))}
    wider = wider.kept(lambda hyp, height: may_win(hyp, height, best[id(hyp.blob)]))
    return classified(short, wider, crops, probabilities, predict)


def may_win(hyp: Hypotheses, height: float, to_beat: float) -> list[bool]:
    """Per path: whether it is short (one or two pieces) or may score above ``to_beat``. A piece
    scores no better than its shape costs that do not depend on the digit read (log-probabilities
    are never positive), and a path pays for its cuts whatever its pieces read."""
    size = [size_prior(piece, height) for piece in hyp.pieces]
    return [len(path) <= 2 or sum(size[i] for i in path) - cut_costs(path, extra) > to_beat
            for path, extra in zip(hyp.paths, hyp.extra_strokes)]


def classified(plan: Plan, wider: Plan, crops: np.ndarray, probabilities: np.ndarray,
               predict: Callable[[np.ndarray], np.ndarray]) -> tuple[Plan, np.ndarray, np.ndarray]:
    """``wider``, whose pieces include those of ``plan`` (with ``crops`` and ``probabilities``), with the
    crops and probabilities of its own pieces; only the pieces new to it are classified."""
    known = {id(piece): i for i, piece in enumerate(plan.pieces)}
    new = [piece for piece in wider.pieces if id(piece) not in known]
    if new:
        new_crops = np.array([to_mnist(piece.mask) for piece in new], np.uint8).reshape(-1, 28, 28)
        crops, probabilities = np.concatenate([crops, new_crops]), np.concatenate([probabilities, predict(new_crops)])
    fresh = iter(range(len(known), len(crops)))
    order = [known[id(piece)] if id(piece) in known else next(fresh) for piece in wider.pieces]
    return wider, crops[order], probabilities[order]


def plan(rows: list[list[Blob]]) -> Plan:
    """Every blob of every row read whole, and join hypotheses for broken-off strokes; split
    hypotheses wait for the blobs' readings whole (``reconsider``)."""
    heights = [row_height(row) for row in rows]
    return Plan([row_hypotheses(row, height) for row, height in zip(rows, heights)], heights)


def row_hypotheses(row: list[Blob], height: float) -> list[Hypotheses]:
    """Left to right: a pair that may be one digit broken in two, a digit with or without its loose
    stroke, else each blob whole."""
    result, i = [], 0
    while i < len(row):
        if i + 1 < len(row) and may_be_one(row[i], row[i + 1], height):
            whole = joined(row[i], row[i + 1])
            result.append(Hypotheses(whole, [whole, row[i], row[i + 1]], [(0,), (1, 2)], [0, 0]))
            i += 2
        elif row[i].loose is not None and row[i].box.w < TRIGGER_WIDTH * height:
            whole = joined(row[i], row[i].loose)
            result.append(Hypotheses(row[i], [row[i], whole], [(0,), (1,)], [0, 0]))
            i += 1
        else:
            result.append(read_whole(row[i]))
            i += 1
    return result


def may_be_one(left: Blob, right: Blob, height: float) -> bool:
    """Whether two neighbours, one of them short, lie close enough to be one digit's pieces."""
    a, b = left.box, right.box
    return (min(a.h, b.h) < BROKEN_OFF * height and b.x - (a.x + a.w) <= JOIN_GAP * height
            and max(a.x + a.w, b.x + b.w) - min(a.x, b.x) <= JOIN_WIDTH * height)


def joined(a: Blob, b: Blob) -> Blob:
    """One blob holding the ink of both."""
    box = Box.around([a.box, b.box])
    mask = np.zeros((box.h, box.w), np.uint8)
    for blob in (a, b):
        top, left = blob.box.y - box.y, blob.box.x - box.x
        region = mask[top:top + blob.box.h, left:left + blob.box.w]
        np.maximum(region, blob.mask, out=region)
    return Blob(box, mask)


def row_height(row: list[Blob]) -> float:
    """The row's typical digit height: the median blob height (touching digits do not change it)."""
    return float(np.median([blob.box.h for blob in row])) if row else 0.0


def read_whole(blob: Blob) -> Hypotheses:
    """The one way of reading ``blob`` as it is."""
    return Hypotheses(blob, [blob], [(0,)], [0])


def hypotheses(blob: Blob, height: float, trigger: float = TRIGGER_WIDTH) -> Hypotheses:
    """All 1- to 4-piece readings of ``blob``; a blob narrower than ``trigger`` × ``height`` has only itself."""
    if blob.box.w < trigger * height:
        return read_whole(blob)
    mask = blob.mask > 0
    h, w = mask.shape
    cuts = candidate_cuts(mask, height, min(MAX_CUTS, max(2, int(CUTS_PER_HEIGHT * w / height))))
    bounds = [np.zeros(h, int)] + cuts + [np.full(h, w)]
    extra = [0] + [max(0, strokes_crossed(mask, cut) - 1) for cut in cuts] + [0]
    result = Hypotheses(blob, [blob], [(0,)], [0], may_be_pair=True)
    index = {(0, len(bounds) - 1): 0}
    for path in _bound_paths(len(bounds), most_digits(w, height)):
        ids = []
        for a, b in zip(path, path[1:]):
            if (a, b) not in index:
                piece = _piece(blob, mask, bounds[a], bounds[b], height)
                index[a, b] = -1 if piece is None else len(result.pieces)
                if piece is not None:
                    result.pieces.append(piece)
            ids.append(index[a, b])
        if -1 not in ids:
            result.paths.append(tuple(ids))
            result.extra_strokes.append(sum(extra[i] for i in path))
    return result


def most_digits(width: int, height: float) -> int:
    """How many digits a blob this wide may hold, at most."""
    return 4 if width >= FOUR_FROM * height else 3 if width >= THREE_FROM * height else 2


def _bound_paths(n_bounds: int, most: int) -> list[tuple[int, ...]]:
    """Boundary sequences from the left edge (0) to the right edge (n-1) through 1 to ``most`` - 1 cuts.

    Every piece of a path with more cuts lies between two bounds, so it is also a piece of some
    shorter path: more digits per blob mean more paths to score, not more crops to classify."""
    last = n_bounds - 1
    return [(0, *cuts, last) for count in range(1, most) for cuts in combinations(range(1, last), count)]


def best_reading(hyp: Hypotheses, probabilities: np.ndarray, height: float, pair: np.ndarray | None = None) -> list[Reading]:
    """The digits of the best-scoring way to read ``hyp``. ``pair``: the pair model's reading of the
    whole blob (2×10), which competes with the paths as a reading with one cut."""
    scores = path_scores(hyp, probabilities, height)
    best = int(np.argmax(scores))
    two = [path for path in hyp.paths if len(path) == 2]
    if (pair is None or not two or pair.max(axis=1).min() < PAIR_SURE
            or confidence_score(pair.max(axis=1)).sum() - CUT_COST <= scores[best]):
        return [(i, probabilities[i]) for i in hyp.paths[best]]
    left, right = pair.argmax(axis=1)
    # The digits stand where the two-piece path is that the digit model reads most like the pair model.
    where = max(two, key=lambda path: probabilities[path[0], left] * probabilities[path[1], right])
    return list(zip(where, pair))


def path_scores(hyp: Hypotheses, probabilities: np.ndarray, height: float) -> np.ndarray:
    """Per path: its pieces' log-probabilities and shape priors, less the costs of its cuts and of
    pieces that look like no digit."""
    labels = probabilities.argmax(axis=1)
    piece_scores = confidence_score(probabilities.max(axis=1)) + np.array(
        [shape_prior(piece, label, height) for piece, label in zip(hyp.pieces, labels)])
    return np.array([piece_scores[list(path)].sum() - cut_costs(path, extra)
                     for path, extra in zip(hyp.paths, hyp.extra_strokes)])


def cut_costs(path: tuple[int, ...], extra_strokes: int) -> float:
    """What a path pays for its cuts, and for the strokes they cross beyond one per cut."""
    return CUT_COST * (len(path) - 1) + CROSSING_COST * extra_strokes


def confidence_score(confidence: np.ndarray) -> np.ndarray:
    """Log-score of digits read with these confidences: pieces that look like no digit pay extra."""
    return np.log(confidence + 1e-9) - NOT_DIGIT_COST * (confidence < NOT_DIGIT_BELOW)


def shape_prior(piece: Blob, label: int, height: float) -> float:
    """Log-prior of a digit ``label`` of this shape: 0 when plausible, negative when too wide or short,
    or too wide for that digit."""
    # A piece cut from a touching pair may lose some height; judge its width against the row's.
    spread = (np.log(piece.box.w / max(piece.box.h, 0.8 * height)) - LOG_ASPECT_MEAN[label]) / LOG_ASPECT_STD[label]
    return size_prior(piece, height) - ASPECT_COST * max(0.0, spread - ASPECT_FROM) ** 2


def size_prior(piece: Blob, height: float) -> float:
    """The part of ``shape_prior`` that does not depend on the digit: too wide, too short for any."""
    width, tall = piece.box.w / height, piece.box.h / height
    return -WIDE_COST * max(0.0, width - WIDE_FROM) - SHORT_COST * max(0.0, SHORT_FROM - tall)


def strokes_crossed(mask: np.ndarray, cut: np.ndarray) -> int:
    """How many separate runs of ink the cut passes through."""
    h, w = mask.shape
    along = mask[np.arange(h), np.clip(cut, 0, w - 1)].astype(np.int8)
    return int((np.diff(along, prepend=0) == 1).sum())


def candidate_cuts(mask: np.ndarray, height: float, count: int) -> list[np.ndarray]:
    """Cut paths (for each mask row, the column where the cut passes), sorted left to right."""
    h, w = mask.shape
    margin = max(1, int(round(MIN_PIECE_WIDTH * height)))
    starts = _cut_starts(mask, margin)
    cuts = [np.full(h, x) for x in starts] + least_ink_paths(mask, starts, max(1, int(PATH_BAND * height)), margin)
    ink = [mask[np.arange(h), np.clip(c, 0, w - 1)].sum() for c in cuts]
    kept: list[np.ndarray] = []
    for i in np.argsort(ink, kind="stable"):
        if _apart(cuts[i], kept, margin):
            kept.append(cuts[i])
        if len(kept) == count:
            break
    # Digits that overlap rather than touch leave no valley to find; equal shares of the width
    # are the fallback guess (the classifier rejects them when they cut a digit apart).
    for share in EVEN_SHARES[most_digits(w, height)]:
        even = np.full(h, int(share * w))
        if _apart(even, kept, margin):
            kept.append(even)
    return sorted(kept, key=lambda c: c.mean())


def _apart(cut: np.ndarray, kept: list[np.ndarray], margin: int) -> bool:
    """Whether ``cut`` runs on average at least half a margin away from every cut already kept."""
    return all(np.abs(cut - k).mean() >= margin / 2 for k in kept)


def _cut_starts(mask: np.ndarray, margin: int) -> list[int]:
    return sorted(set(projection_minima(mask, margin)) | set(contour_valleys(mask, margin)))


def projection_minima(mask: np.ndarray, margin: int) -> list[int]:
    """Columns where the ink per column is a local minimum, below the blob's median column."""
    profile = np.convolve(mask.sum(axis=0).astype(float), np.ones(3) / 3, mode="same")
    return [x for x in _local_minima(profile, margin) if profile[x] <= np.median(profile)]


def contour_valleys(mask: np.ndarray, margin: int) -> list[int]:
    """Columns where the upper contour dips lowest or the lower contour rises highest, locally."""
    h, w = mask.shape
    has_ink = mask.any(axis=0)
    top = np.where(has_ink, mask.argmax(axis=0), h)  # first ink row from the top
    bottom = np.where(has_ink, h - 1 - mask[::-1].argmax(axis=0), -1)  # last ink row
    return _local_minima(-top.astype(float), margin) + _local_minima(bottom.astype(float), margin)


def _local_minima(profile: np.ndarray, margin: int) -> list[int]:
    """Interior indices (``margin`` from either end) that are the minimum of a ±margin window."""
    if len(profile) <= 2 * margin:
        return []
    windows = np.lib.stride_tricks.sliding_window_view(profile, 2 * margin + 1)  # window k is centred on k + margin
    centre = profile[margin:len(profile) - margin]
    found = [int(x) + margin for x in np.flatnonzero((centre == windows.min(axis=1)) & (centre < windows.max(axis=1)))]
    # A flat-bottomed valley yields a run of equal minima; keep the middle of each run.
    runs, start = [], 0
    for i in range(1, len(found) + 1):
        if i == len(found) or found[i] != found[i - 1] + 1:
            runs.append(found[(start + i - 1) // 2])
            start = i
    return runs


def least_ink_paths(mask: np.ndarray, starts: list[int], band: int, margin: int) -> list[np.ndarray]:
    """For each start column, the top-to-bottom path within ``band`` of it that crosses the fewest
    ink pixels (dynamic programming, all starts at once)."""
    h, w = mask.shape
    if not starts:
        return []
    offsets = np.arange(-band, band + 1)
    cols = np.array(starts)[:, None] + offsets  # starts × band
    ink = np.where((cols >= margin) & (cols < w - margin), mask[:, np.clip(cols, 0, w - 1)].astype(float), np.inf)
    cost = ink[0] + STEP_COST * np.abs(offsets)
    moves = np.zeros(ink.shape, np.int8)  # -1: came from the upper left, 0: from above, +1: upper right
    blocked = np.full((len(starts), 1), np.inf)
    for y in range(1, h):
        best = cost.copy()
        for step, option in ((-1, np.hstack([blocked, cost[:, :-1]])), (1, np.hstack([cost[:, 1:], blocked]))):
            better = option + STEP_COST < best
            best[better] = option[better] + STEP_COST
            moves[y][better] = step
        cost = best + ink[y]
    rows = np.arange(len(starts))
    path = np.empty((h, len(starts)), int)
    path[-1] = cost.argmin(axis=1)
    for y in range(h - 1, 0, -1):
        path[y - 1] = path[y] + moves[y, rows, path[y]]
    return [cols[i, path[:, i]] for i in rows]


def _piece(blob: Blob, mask: np.ndarray, left: np.ndarray, right: np.ndarray, height: float) -> Blob | None:
    """The ink of ``mask`` between two cut paths, cropped to its box; None if the cuts cross or leave a scrap."""
    if (right - left).min() < 1 or (right - left).mean() < MIN_PIECE_WIDTH * height:
        return None
    cols = np.arange(mask.shape[1])
    inside = mask & (cols[None, :] >= left[:, None]) & (cols[None, :] < right[:, None])
    x, y, w, h = cv2.boundingRect(inside.view(np.uint8))  # (a page has hundreds of pieces: OpenCV is fastest)
    if w < 2 or h < MIN_PIECE_HEIGHT * height:
        return None
    box = Box(blob.box.x + x, blob.box.y + y, w, h)
    return Blob(box=box, mask=inside[y:y + h, x:x + w].astype(np.uint8) * 255)
