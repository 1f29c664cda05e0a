"""Segmentation on pages composed from MNIST test digits: rows, order, polarity, light, clutter."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from digitocr.binarize import background, ink_strength
from digitocr.rows import Part
from digitocr.clutter import FAINT, contrast, line_residue
from digitocr.lines import Tilts, erase_lines, paint_runs, vertical_runs
from digitocr.heights import join_grains, typical_height
from digitocr.segment import Blob, segment
from digitocr.sheet import find_sheet
from digitocr.synth.strokes import digit_ink, side_by_side


class Sheet:
    """Ink drawn on a float canvas (1 = full ink) and rendered as a photo at the end."""

    def __init__(self, width: int, height: int, seed: int = 0):
        self.ink = np.zeros((height, width), np.float32)
        self.rng = np.random.default_rng(seed)
        self.rows: list[list[tuple[int, int, int, int]]] = []  # boxes of the digits drawn, per row

    def digit(self, image: np.ndarray, x: int, y: int, height: int) -> tuple[int, int, int, int]:
        """Draw an MNIST digit with its ink ``height`` px tall at (x, y); returns its box."""
        ys, xs = np.nonzero(image > 40)
        crop = image[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32) / 255
        scale = height / crop.shape[0]
        crop = cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), height), interpolation=cv2.INTER_LINEAR)
        h, w = crop.shape
        self.ink[y:y + h, x:x + w] = np.maximum(self.ink[y:y + h, x:x + w], crop)
        return x, y, w, h

    def row(self, images: list[np.ndarray], x: int, y: int, height: int, gap: float = 0.4,
            slope: float = 0.0) -> None:
        boxes = []
        for image in images:
            box = self.digit(image, x, round(y + slope * (x - boxes[0][0] if boxes else 0)), height)
            boxes.append(box)
            x += box[2] + round(gap * height)
        self.rows.append(boxes)

    def photo(self, paper: float = 225, ink: float = 35, light: bool = True, noise: float = 3) -> np.ndarray:
        """Gray uint8 photo: ink over paper under a light gradient, plus sensor noise."""
        rows, cols = self.ink.shape
        image = paper + (ink - paper) * self.ink
        if light:
            image *= np.linspace(1.0, 0.55, cols)[None, :] * np.linspace(0.9, 1.0, rows)[:, None]
        image += self.rng.normal(0, noise, image.shape)
        return np.clip(image, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def digits(mnist_test):
    """A fixed, varied pool of MNIST test digits."""
    return [mnist_test.images[i] for i in range(100, 400)]


def three_rows(digits, width=900, height=520, size=44, seed=0) -> Sheet:
    sheet = Sheet(width, height, seed)
    sheet.row(digits[0:8], 40, 60, size)
    sheet.row(digits[8:14], 60, 200, size, gap=0.6)
    sheet.row(digits[14:24], 30, 350, size, gap=0.3)
    return sheet


def boxes(rows: list[list[Blob]]) -> list[list[tuple[int, int, int, int]]]:
    return [[(b.box.x, b.box.y, b.box.w, b.box.h) for b in row] for row in rows]


def assert_matches(rows: list[list[Blob]], expected: list[list[tuple[int, int, int, int]]], tolerance: float = 0.25):
    """Same rows, same number of digits per row, each blob's centre on the drawn digit's centre."""
    assert [len(row) for row in rows] == [len(row) for row in expected]
    for row, truth in zip(rows, expected):
        for blob, (x, y, w, h) in zip(row, truth):
            cx, cy = blob.box.x + blob.box.w / 2, blob.box.y + blob.box.h / 2
            assert abs(cx - (x + w / 2)) <= tolerance * h and abs(cy - (y + h / 2)) <= tolerance * h


def test_rows_top_to_bottom_and_digits_left_to_right(digits):
    sheet = three_rows(digits)
    rows = segment(sheet.photo())
    assert_matches(rows, sheet.rows)
    for row in rows:
        assert [b.box.x for b in row] == sorted(b.box.x for b in row)


def test_blob_masks_hold_only_their_own_ink(digits):
    sheet = three_rows(digits)
    rows = segment(sheet.photo())
    for blob in (b for row in rows for b in row):
        assert blob.mask.dtype == np.uint8 and blob.mask.shape == (blob.box.h, blob.box.w)
        assert set(np.unique(blob.mask)) == {0, 255}
        # The blob's box is tight around its own ink.
        assert blob.mask[0].any() and blob.mask[-1].any() and blob.mask[:, 0].any() and blob.mask[:, -1].any()


def test_colour_input_and_inverted_polarity_give_the_same_digits(digits):
    sheet = three_rows(digits)
    gray = sheet.photo()
    expected = boxes(segment(gray))
    assert boxes(segment(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))) == expected
    chalkboard = sheet.photo(paper=45, ink=205)
    assert_matches(segment(chalkboard), sheet.rows)
    screenshot = sheet.photo(paper=0, ink=255, light=False, noise=0)
    assert_matches(segment(screenshot), sheet.rows)


def test_hard_shadow_across_the_page(digits):
    sheet = three_rows(digits)
    photo = sheet.photo().astype(np.float32)
    photo[:, 450:] *= 0.35  # a sharp shadow edge through the middle rows
    photo[:260, :] *= 0.7
    assert_matches(segment(photo.astype(np.uint8)), sheet.rows)


def test_blank_and_noisy_empty_pages_have_no_rows():
    rng = np.random.default_rng(1)
    assert segment(np.full((300, 400), 200, np.uint8)) == []
    assert segment(np.zeros((50, 50, 3), np.uint8)) == []
    noisy = np.clip(rng.normal(200, 6, (600, 800)), 0, 255).astype(np.uint8)
    assert segment(noisy) == []


def test_specks_dots_and_dashes_are_not_digits(digits):
    sheet = three_rows(digits)
    rng = np.random.default_rng(5)
    for _ in range(200):  # pepper the page with specks
        y, x = rng.integers(0, 520), rng.integers(0, 900)
        sheet.ink[y:y + rng.integers(1, 4), x:x + rng.integers(1, 4)] = 1
    row = sheet.rows[0]
    x0, y0, w0, h0 = row[2]
    gap_x = x0 + w0 + 4
    cv2.circle(sheet.ink, (gap_x, y0 + h0 - 3), 3, 1, -1)  # a decimal point after the third digit
    x1, y1, w1, h1 = row[5]
    cv2.line(sheet.ink, (x1 + w1 + 3, y1 + h1 // 2), (x1 + w1 + 14, y1 + h1 // 2), 1, 3)  # a dash
    assert_matches(segment(sheet.photo()), sheet.rows)


def test_ruled_and_squared_paper(digits):
    sheet = three_rows(digits)
    ruled = sheet.ink.copy()
    for y in range(40, 520, 48):  # ruled lines, some crossing digits
        cv2.line(sheet.ink, (0, y), (899, y + 4), 0.6, 2)
    assert_matches(segment(sheet.photo()), sheet.rows)
    sheet.ink = ruled
    for x in range(10, 900, 48):
        cv2.line(sheet.ink, (x, 0), (x, 519), 0.5, 1)
    for y in range(20, 520, 48):
        cv2.line(sheet.ink, (0, y), (899, y), 0.5, 1)
    assert_matches(segment(sheet.photo()), sheet.rows)


def test_a_rule_through_the_middle_of_every_digit(digits):
    """The bridge that restores strokes crossing an erased rule must span the rule, however thick
    it is for the digits' size: otherwise every digit falls into a top and a bottom half."""
    sheet = Sheet(900, 300)
    sheet.row(digits[0:10], 40, 100, 40, gap=0.5)
    sheet.row(digits[10:20], 40, 200, 40, gap=0.5)
    for y in (120, 220):
        cv2.line(sheet.ink, (0, y), (899, y), 0.8, 3)
    assert_matches(segment(sheet.photo()), sheet.rows)


def test_sheet_on_a_desk(digits):
    sheet = three_rows(digits, width=900, height=520)
    paper = sheet.photo()
    desk = np.full((800, 1200), 70, np.float32)
    desk += 25 * np.sin(np.arange(1200) / 9.0)[None, :]  # wood grain
    desk += np.random.default_rng(2).normal(0, 4, desk.shape)
    corners = np.float32([[0, 0], [899, 0], [899, 519], [0, 519]])
    placed = np.float32([[140, 120], [1060, 150], [1040, 690], [120, 660]])
    warp = cv2.getPerspectiveTransform(corners, placed)
    photo = cv2.warpPerspective(paper, warp, (1200, 800))
    inside = cv2.warpPerspective(np.ones_like(paper), warp, (1200, 800)) > 0
    photo = np.where(inside, photo, np.clip(desk, 0, 255)).astype(np.uint8)
    rows = segment(photo)
    assert [len(row) for row in rows] == [len(row) for row in sheet.rows]


def test_broken_strokes_merge_into_one_digit(digits, mnist_test):
    fives = [mnist_test.images[i] for i in np.flatnonzero(mnist_test.labels == 5)[:4]]
    sevens = [mnist_test.images[i] for i in np.flatnonzero(mnist_test.labels == 7)[:4]]
    sheet = Sheet(700, 240)
    sheet.row(fives + sevens, 30, 80, 60)
    for x, y, w, h in sheet.rows[0]:
        # A pen skip: a horizontal band through the upper third of every digit is left blank.
        sheet.ink[y + h // 4:y + h // 4 + 5, x:x + w] = 0
    rows = segment(sheet.photo())
    assert_matches(rows, sheet.rows)


def test_slanted_rows_and_rows_of_different_sizes(digits):
    sheet = Sheet(1000, 700)
    sheet.row(digits[30:38], 40, 60, 80, slope=0.08)
    sheet.row(digits[38:46], 60, 330, 30, slope=-0.06)
    sheet.row(digits[46:52], 400, 450, 50, slope=0.1)
    rows = segment(sheet.photo())
    assert_matches(rows, sheet.rows)


def test_a_steep_row_stays_one_row_across_a_wide_gap(digits):
    """A phone number photographed at a slant: beyond the gap between its groups the line has
    climbed by most of a digit height, so the two groups meet only along the row's slope."""
    sheet = Sheet(1100, 500)
    size, slope = 50, -0.25
    sheet.row(digits[70:74], 40, 330, size, slope=slope)
    x = sheet.rows[0][-1][0] + sheet.rows[0][-1][2] + round(2.5 * size)
    sheet.row(digits[74:78], x, round(330 + slope * (x - 40)), size, slope=slope)
    assert_matches(segment(sheet.photo()), [sheet.rows[0] + sheet.rows[1]])


def test_grains_of_chalk_are_joined_and_strokes_left_alone(digits):
    """Chalk marks only the tops of the board's grain: its strokes threshold into specks, whose
    size must not pass for the digits' size."""
    sheet = Sheet(1500, 300)
    sheet.row(digits[0:8], 40, 80, 70)
    strokes = (sheet.ink > 0.5).astype(np.uint8)
    dots = np.zeros_like(strokes)
    dots[::4, ::4] = 1
    grains = strokes & cv2.dilate(dots, np.ones((3, 3), np.uint8))
    assert typical_height(grains) < 0.3 * 70
    joined, _, _ = join_grains(grains, grains)
    assert typical_height(joined) == pytest.approx(typical_height(strokes), rel=0.1)
    unchanged, _, _ = join_grains(strokes, strokes)
    assert np.array_equal(unchanged, strokes)


def test_strokes_joined_by_blur_keep_their_gap_in_the_mask():
    """Two bars a few pixels apart, blurred: the smear between them is ink to the weak threshold,
    but it is far fainter than the bars, and the mask the crop is cut from keeps the gap."""
    image = np.full((200, 400), 225, np.float32)
    cv2.rectangle(image, (100, 50), (107, 110), 35, -1)
    cv2.rectangle(image, (112, 50), (119, 110), 35, -1)
    cv2.circle(image, (250, 80), 22, 35, thickness=7)
    image = cv2.GaussianBlur(image, (0, 0), 2.0) + np.random.default_rng(0).normal(0, 3, image.shape)
    [[pair, ring]] = segment(np.clip(image, 0, 255).astype(np.uint8))
    assert pair.box.w >= 18  # one blob: the threshold joined the bars
    assert cv2.connectedComponents(pair.mask)[0] - 1 == 2
    assert cv2.connectedComponents(ring.mask)[0] - 1 == 1


@pytest.mark.parametrize("size", [15, 300])
def test_tiny_and_huge_digits(digits, size):
    count = 4 if size == 300 else 10
    sheet = Sheet(2 * size * count + 100, size * 2 + 100)
    sheet.row(digits[60:60 + count], 60, 60, size)
    assert_matches(segment(sheet.photo()), sheet.rows)


def test_a_lone_faint_digit_beside_dark_rows_is_kept(digits):
    """Lighter writing (a pencil note beside inked rows) is still writing, even alone in its row."""
    sheet = three_rows(digits, width=900, height=620)
    pencil = Sheet(900, 620)
    pencil.row([digits[30]], 400, 500, 44)
    photo = np.minimum(sheet.photo(light=False), pencil.photo(ink=100, light=False))
    assert_matches(segment(photo), sheet.rows + pencil.rows)


def test_the_dark_side_of_a_soft_edge_is_not_ink():
    """Where the page meets a shadow or the desk, what the threshold takes for ink is one side of a
    soft step: it hardly differs from the pixels beside it, unlike a pen stroke on paper."""
    xs = np.arange(120, dtype=np.float32)[None, :].repeat(100, 0)
    gray = (210 - 60 / (1 + np.exp(-(xs - 60) / 8))).astype(np.uint8)  # a soft step, dark to the right
    gray[20:80, 20:24] = 40  # and a pen stroke on the bright side
    labels = np.zeros(gray.shape, np.int32)
    labels[20:80, 62:70] = 1  # the dark side, just past the middle of the step
    labels[20:80, 20:24] = 2
    step, stroke = Part(62, 20, 70, 80, (1,)), Part(20, 20, 24, 80, (2,))
    assert contrast(gray, labels, step, 40) < FAINT * contrast(gray, labels, stroke, 40)


def test_a_stroke_lighter_in_its_middle_stays_whole(digits):
    """A pen or pencil stroke is rarely even: here a "1" is black at its ends and mid-gray in its
    middle third, on a page of black ink. It must come out as one digit of its full height,
    not as dark stubs (or nothing at all)."""
    sheet = Sheet(500, 200)
    sheet.row(digits[0:3], 40, 60, 50)
    photo = sheet.photo(ink=0, light=False, noise=2)
    stroke = np.full((50, 9), 0, np.float32)
    stroke[17:34] = 140  # the middle third: 40% of the way from the paper's 225 to black
    photo[60:110, 400:409] = np.minimum(photo[60:110, 400:409], stroke.astype(np.uint8))
    rows = segment(photo)
    assert len(rows) == 1 and len(rows[0]) == 4
    one = rows[0][-1].box
    assert one.y <= 61 and one.y + one.h >= 109 and 398 <= one.x <= 401


def on_desk(paper: np.ndarray, desk: np.ndarray, placed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The photo of ``paper`` warped onto ``desk`` at the corners ``placed``, and where the paper is."""
    rows, cols = paper.shape
    corners = np.float32([[0, 0], [cols - 1, 0], [cols - 1, rows - 1], [0, rows - 1]])
    warp = cv2.getPerspectiveTransform(corners, np.float32(placed))
    size = desk.shape[::-1]
    photo = cv2.warpPerspective(paper, warp, size)
    inside = cv2.warpPerspective(np.ones_like(paper), warp, size) > 0
    return np.where(inside, photo, np.clip(desk, 0, 255)).astype(np.uint8), inside


def test_a_sheet_half_in_shadow_is_found_whole():
    """A soft shadow makes part of the sheet as dark as a bright desk, but it has no sharp edge."""
    paper = np.full((500, 700), 215, np.float32)
    paper *= 1 - 0.35 / (1 + np.exp(-(np.arange(700) - 420) / 30))[None, :]  # shade on the right
    desk = np.full((800, 1100), 45, np.float32)
    photo, inside = on_desk(paper.astype(np.uint8), desk, [[170, 120], [930, 160], [910, 690], [150, 650]])
    found = find_sheet(photo)
    assert found is not None
    assert (found[inside] > 0).mean() > 0.9 and (found[~inside] > 0).mean() < 0.02


def sheet_beside_a_bright_desk(bright_from: int, shade: float) -> tuple[np.ndarray, np.ndarray]:
    """Paper (shaded on the right by ``shade``) on a dark desk that is bright left of ``bright_from``."""
    paper = np.full((500, 700), 228, np.float32)
    paper *= 1 - shade / (1 + np.exp(-(np.arange(700) - 500) / 40))[None, :]
    desk = np.full((800, 1100), 60, np.float32)
    desk[:, :bright_from] = 150
    return on_desk(paper.astype(np.uint8), desk, [[170, 120], [930, 160], [910, 690], [150, 650]])


def test_a_sheet_beside_a_bright_stretch_of_desk_is_found():
    """Otsu's one level puts the bright desk with the paper; another level tells them apart."""
    photo, inside = sheet_beside_a_bright_desk(150, shade=0.0)
    found = find_sheet(photo)
    assert found is not None
    assert (found[inside] > 0).mean() > 0.9 and (found[~inside] > 0).mean() < 0.02


def test_a_level_that_cuts_the_sheet_along_a_shadow_is_not_taken():
    """Better no sheet (the desk may leave clutter) than part of one (the writing beyond is lost)."""
    photo, inside = sheet_beside_a_bright_desk(400, shade=0.3)
    found = find_sheet(photo)
    assert found is None or (found[inside] > 0).mean() > 0.9


def test_a_sheet_beside_a_desk_brighter_than_it_is_found_by_its_edges():
    """No brightness level has the paper on one side and all the desk on the other (a stretch of
    desk is brighter than the paper, the rest darker): the edges around the paper still close."""
    paper = np.full((500, 700), 200, np.float32)
    paper *= 1 - 0.3 / (1 + np.exp(-(np.arange(700) - 450) / 40))[None, :]  # shade on the right
    desk = np.full((800, 1100), 60, np.float32)
    desk[:, :200] = 240
    photo, inside = on_desk(paper.astype(np.uint8), desk, [[170, 120], [930, 160], [910, 690], [150, 650]])
    found = find_sheet(photo)
    assert found is not None
    assert (found[inside] > 0).mean() > 0.9 and (found[~inside] > 0).mean() < 0.02


def ruled_margin(paper: np.ndarray, x: int) -> np.ndarray:
    paper = paper.copy()
    cv2.line(paper, (x, 0), (x, paper.shape[0]), 90, 7)
    return paper


def test_a_ruled_margin_is_not_the_edge_of_a_sheet():
    """A margin rule has sharp edges too: the strip beside it is still the sheet, and its writing
    stays in. (The sheet runs off the photo but on the left, so the desk shows only there.)"""
    on_a_desk, inside = on_desk(ruled_margin(np.full((500, 700), 215, np.uint8), 120), np.full((800, 1100), 45, np.float32),
                                [[200, -50], [1200, -50], [1200, 900], [200, 900]])
    found = find_sheet(on_a_desk)
    assert found is not None and (found[inside] > 0).mean() > 0.9
    filling_the_photo = ruled_margin(np.full((800, 1100), 215, np.uint8), 250)
    assert find_sheet(filling_the_photo) is None


@pytest.mark.parametrize("digit", "689")
def test_a_bold_digit_filling_a_close_up_is_not_a_sheet(digit):
    """Its outline, with the counters filled in, would be as convex and as sharp as a board's."""
    photo = np.full((130, 110), 255, np.uint8)
    cv2.putText(photo, digit, (20, 105), cv2.FONT_HERSHEY_DUPLEX, 3.2, 0, 10, cv2.LINE_AA)
    assert find_sheet(cv2.GaussianBlur(photo, (0, 0), 1.0)) is None


@pytest.mark.parametrize("number", ["832", "60", "04", "80"])
def test_a_bold_digit_beside_others_in_a_close_up_is_not_a_board(mnist_test, number):
    """Written with a marker, a digit's strokes run together on the sheet finder's small copy into
    a dark, convex, sharp-edged region: a small board, but for the other digits beside it, regions
    of its colour clear of the photo's edges, where a board's desk would be."""
    first = {str(label): i for i, label in reversed(list(enumerate(mnist_test.labels[:100])))}
    inks = [digit_ink(mnist_test.images[first[char]], 120, pen_width=3.0) for char in number]
    photo = np.pad((235 - 200 * side_by_side(inks, gap=36)).astype(np.uint8), 24, constant_values=235)
    assert find_sheet(photo) is None


def test_the_noise_floor_is_measured_on_the_sheet_alone():
    """The desk is painted over with the sheet's colour: counted in the noise statistics, that
    flat paint made the paper look quieter than it is, and its grain then passed for ink."""
    rng = np.random.default_rng(0)
    paper = np.clip(200 + rng.normal(0, 8, (800, 1100)), 0, 255).astype(np.uint8)
    photo, _ = on_desk(np.full((500, 700), 200, np.uint8), np.full((800, 1100), 45, np.float32),
                       [[170, 120], [930, 160], [910, 690], [150, 650]])
    photo = np.clip(photo + rng.normal(0, 8, photo.shape), 0, 255).astype(np.uint8)
    sheet = find_sheet(photo)
    assert sheet is not None
    assert ink_strength(photo, sheet)[1] == pytest.approx(ink_strength(paper)[1], rel=0.1)


def test_what_lies_along_an_erased_line_is_its_residue():
    erased = np.zeros((60, 200), np.uint8)
    erased[30:33, :] = 1  # a rule, erased
    ink = np.zeros_like(erased)
    ink[28:30, 40:52] = 1  # a sliver of its blurred rim that survived
    ink[33:36, 100:104] = 1  # a crossing's corner
    ink[5:58, 150:155] = 1  # a stroke crossing the rule (its crossing pixels bridged back)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    residue = line_residue(erased, ink, labels, stats[:, 4])
    by_left = {int(stats[i, 0]): bool(residue[i]) for i in range(1, count)}
    assert by_left == {40: True, 100: True, 150: False}


def form_field(digits, cells: int, comb: bool, seed: int = 0, teeth: float = 1 / 3, tilt: float = 0.0,
               against_walls: bool = False, pen: int = 2) -> Sheet:
    """A printed row of digit cells (closed boxes, or a comb open at the top, its teeth ``teeth`` of
    a cell's height) with a digit in each; the field's lines tilted by ``tilt`` degrees and ``pen``
    pixels wide. With ``against_walls``, every other digit is written against its cell's left wall."""
    sheet = Sheet(120 + cells * 60, 240, seed)
    left, top, cell, tall = 60, 80, 60, 76
    drop = np.tan(np.radians(tilt))

    def line(x0: int, y0: int, x1: int, y1: int) -> None:
        cv2.line(sheet.ink, (x0, round(y0 + drop * (x0 - left))), (x1, round(y1 + drop * (x1 - left))), 0.7, pen)
    for i in range(cells + 1):
        x = left + i * cell
        line(x, top + (round((1 - teeth) * tall) if comb else 0), x, top + tall)
    line(left, top + tall, left + cells * cell, top + tall)
    if not comb:
        line(left, top, left + cells * cell, top)
    offsets = [1 if against_walls and i % 2 else 12 for i in range(cells)]
    sheet.rows.append([sheet.digit(image, left + i * cell + dx, round(top + 16 + drop * (i * cell + dx)), 42)
                       for i, (image, dx) in enumerate(zip(digits[:cells], offsets))])
    return sheet


@pytest.mark.parametrize("comb, teeth, tilt", [(False, 1 / 3, 0.0), (True, 1 / 3, 0.0), (False, 1 / 3, 2.5),
                                               (True, 1 / 3, -2.5), (True, 0.5, 0.0)],
                         ids=["boxes", "comb", "tilted boxes", "tilted comb", "comb with teeth of a digit's length"])
def test_the_walls_of_a_forms_digit_cells_are_not_digits(digits, comb, teeth, tilt):
    """Erasing the field's edges as rules leaves the walls between its cells: upright bars, which
    read as ones unless they are known for walls by the rules they meet. Tilted, the field's first
    and last walls keep a stub of its edge at the corner; teeth as long as digits are told from
    ones written on a rule by their regularity."""
    sheet = form_field(digits, 7, comb, teeth=teeth, tilt=tilt)
    assert_matches(segment(sheet.photo(light=False)), sheet.rows)


@pytest.mark.parametrize("pen", [2, 3, 4])
def test_the_corners_of_a_slightly_tilted_comb_are_not_digits(digits, pen):
    """Erased along a tilt a little off its own, the field's edge leaves a stub at each corner, up
    to a cell long: the first and last walls are L-shaped. (Tilted more, and printed bold, its
    stubs run on past the first tooth: not yet handled.)"""
    sheet = form_field(digits, 7, comb=True, tilt=1.0, pen=pen)
    assert_matches(segment(sheet.photo(light=False)), sheet.rows)


@pytest.mark.parametrize("pen", [4, 5, 6])
def test_the_thick_blurred_teeth_of_a_comb_are_not_digits(digits, pen):
    """Printed bold and photographed out of focus, a comb's short teeth are too thick for straight
    bars; they are still known for teeth by the edge they stand on and their number."""
    sheet = form_field(digits, 7, comb=True, pen=pen)
    assert_matches(segment(cv2.GaussianBlur(sheet.photo(light=False), (0, 0), 1.5)), sheet.rows)


@pytest.mark.parametrize("tilt", [0.0, 3.0, -3.0])
def test_digits_written_against_the_walls_of_their_cells_are_cut_from_them(digits, tilt):
    """A digit touching a wall is one component with it: the walls found standing alone tell how
    long and tilted the others are, and all are erased, the digits' strokes across them kept."""
    sheet = form_field(digits, 7, comb=False, tilt=tilt, against_walls=True)
    rows = segment(sheet.photo(light=False))
    assert_matches(rows, sheet.rows)
    for blob, (_, _, _, h) in zip(rows[0], sheet.rows[0]):
        assert blob.box.h <= 1.1 * h  # no piece of wall above or below the digit


def test_ones_between_digits_on_a_rule_are_kept(mnist_test):
    """Ones standing on a rule with other digits between them are written, not printed teeth:
    their spacing follows the widths of the digits between them."""
    ones = [image for image, label in zip(mnist_test.images, mnist_test.labels) if label == 1][:4]
    others = [image for image, label in zip(mnist_test.images, mnist_test.labels) if label in (0, 4, 7)][:3]
    sheet = Sheet(700, 240)
    sheet.row([ones[0], others[0], ones[1], others[1], ones[2], others[2], ones[3]], 60, 80, 44)
    foot = max(y + h for _, y, _, h in sheet.rows[0])
    cv2.line(sheet.ink, (0, foot), (699, foot), 0.7, 2)
    assert_matches(segment(sheet.photo(light=False)), sheet.rows)


def test_ones_standing_on_a_rule_are_kept(mnist_test):
    """Bars of a digit's length meeting one rule at their feet are ones, not a comb's teeth."""
    ones = [image for image, label in zip(mnist_test.images, mnist_test.labels) if label == 1][:6]
    sheet = Sheet(700, 240)
    sheet.row(ones, 60, 80, 44, gap=1.0)
    foot = max(y + h for _, y, _, h in sheet.rows[0])
    cv2.line(sheet.ink, (0, foot), (699, foot), 0.7, 2)
    assert_matches(segment(sheet.photo(light=False)), sheet.rows)


def test_a_thin_one_among_bold_digits_is_kept_and_a_pale_grid_line_is_not(mnist_test):
    """A 1 drawn in one quick stroke is far thinner than its bold neighbours' loops, but as dark;
    what is left of an erased grid line is thin and pale."""
    bold = [cv2.dilate(image, np.ones((3, 3), np.uint8)) for image, label in zip(mnist_test.images, mnist_test.labels)
            if label in (0, 8, 6)][:4]
    sheet = Sheet(700, 240)
    sheet.row(bold[:2], 60, 80, 50, gap=1.2)
    sheet.row(bold[2:], 390, 80, 50, gap=0.5)
    x = 280  # between the second digit and the third
    cv2.line(sheet.ink, (x, 80), (x + 4, 130), 1.0, 3)  # the one, as dark as the rest
    cv2.line(sheet.ink, (350, 75), (350, 135), 0.35, 2)  # the grid's pale stub
    rows = segment(sheet.photo(light=False))
    assert len(rows) == 1 and len(rows[0]) == 5
    assert rows[0][2].box.x in range(x - 3, x + 3)


def test_light_ink_on_a_dark_grainy_ground_is_measured_as_its_negative(digits):
    """Chalk on a board, or a photo's negative: the ground's grain, measured against so little
    light, once raised the noise floor fourfold and grainy strokes fell apart. Ink strength and
    floor are now those of the negative, dark ink on light paper."""
    sheet = three_rows(digits)
    rng = np.random.default_rng(2)
    grain = rng.normal(0, 6, sheet.ink.shape)
    paper = np.clip(sheet.photo(light=False, noise=0) + grain, 0, 255).astype(np.uint8)
    board = 255 - paper
    strength, floor = ink_strength(board)
    assert floor == pytest.approx(ink_strength(paper)[1], rel=0.05)
    assert np.abs(strength - ink_strength(paper)[0]).max() < 0.05
    assert_matches(segment(board), sheet.rows)


@pytest.mark.parametrize("edge", ["top", "bottom"])
def test_a_close_up_of_one_row_leaves_out_the_rows_cut_by_its_edge(digits, edge):
    """A close-up of one number often catches the feet of the row above or the heads of the row
    below along its edge: those are not writing of the photo's own."""
    sheet = Sheet(600, 300, seed=3)
    sheet.row(digits[0:6], 40, 30, 60, gap=0.5)
    sheet.row(digits[6:12], 40, 120, 60, gap=0.5)
    sheet.row(digits[12:18], 40, 210, 60, gap=0.5)
    photo = sheet.photo(light=False)
    close_up = photo[70:200] if edge == "top" else photo[100:240]  # the middle row, and 20 px of a neighbour
    shifted = [(x, y - (70 if edge == "top" else 100), w, h) for x, y, w, h in sheet.rows[1]]
    assert_matches(segment(close_up), [shifted])


def test_a_background_window_wider_than_the_photo_is_the_whole_photos_median():
    """The close-up window of huge digits can be wider than the photo (OpenCV refuses some such
    widths): no window is wider than the photo."""
    gray = np.random.default_rng(0).integers(0, 256, (300, 200)).astype(np.uint8)
    level = background(gray, least_window=5000)
    assert level.shape == gray.shape
    assert abs(np.median(level) - np.median(gray)) <= 5


def test_a_band_of_bold_digits_set_close_is_not_a_rule():
    """Bold 0s side by side fill most of every long horizontal run through their tops and bottoms,
    in bands a third of their height thick: in a close-up, a line that thick all along is taken
    for them and keeps its ink, while a thin rule below them is still erased."""
    digits = np.zeros((200, 700), np.uint8)
    for i in range(5):
        cv2.ellipse(digits, (80 + i * 130, 80), (50, 50), 0, 0, 360, 1, 40)
    ink = digits.copy()
    cv2.line(ink, (0, 185), (699, 185), 1, 3)
    as_on_a_page = erase_lines(ink, Tilts(ink), 600, 600, 24)
    close_up = erase_lines(ink, Tilts(ink), 600, 600, 24, bold=12, close_up=True)
    assert (as_on_a_page & digits).sum() < 0.5 * digits.sum()  # the bands erased as rules
    assert (close_up & digits).sum() == digits.sum()
    assert not as_on_a_page[180:191].any() and not close_up[180:191].any()


def bold_row_on_a_rule() -> tuple[np.ndarray, np.ndarray]:
    """Ink of bold 0s and 7s (strokes 12 px, 60 px tall) written close together with their tops on
    a 3-px rule that runs across a page five times as long as the row, and the mask of the digits."""
    digits = np.zeros((200, 2000), np.uint8)
    for i in range(4):
        x = 850 + i * 110
        cv2.ellipse(digits, (x, 100), (22, 30), 0, 0, 360, 1, 12)
        cv2.line(digits, (x + 35, 74), (x + 85, 74), 1, 12)  # a 7's bar along the rule
        cv2.line(digits, (x + 85, 74), (x + 60, 130), 1, 12)
    ink = digits.copy()
    cv2.line(ink, (0, 74), (1999, 74), 1, 2)
    return ink, digits


def test_bold_digits_written_along_a_rule_keep_the_ink_that_lies_on_it():
    """Where bold digits sit on a rule, the rule's long run widens into the band of their tops and
    bars: a 7's bar lying on it was erased with the rule and the 7 read as a 1. Ink more than twice
    as thick as the rule is on average is writing; the rule is still erased beyond the digits."""
    ink, digits = bold_row_on_a_rule()
    erased_all = erase_lines(ink, Tilts(ink), 300, 300, 12)
    kept = erase_lines(ink, Tilts(ink), 300, 300, 12, bold=7)
    bars = np.zeros_like(digits)
    bars[68:81] = digits[68:81]
    assert (erased_all & bars).sum() < 0.3 * bars.sum()  # without bold: the bars go with the rule
    assert (kept & bars).sum() > 0.9 * bars.sum()
    assert not kept[:, :800].any() and not kept[:, 1300:].any()  # the rule beyond the digits


def test_the_band_of_a_short_row_of_bold_touching_digits_is_writing_on_a_page():
    """Three bold 0s touching fill most of a rule-length run through their tops and bottoms, but the
    band is shorter than a rule: with no long stretch of its own, it is writing, on any page."""
    digits = np.zeros((200, 800), np.uint8)
    for i in range(3):
        cv2.ellipse(digits, (260 + i * 120, 100), (55, 60), 0, 0, 360, 1, 24)
    erased_all = erase_lines(digits, Tilts(digits), 300, 300, 12)
    kept = erase_lines(digits, Tilts(digits), 300, 300, 12, bold=7)
    assert (erased_all & digits).sum() < 0.9 * digits.sum()  # their tops and bottoms erased as rules
    assert (kept & digits).sum() > 0.99 * digits.sum()


def test_a_line_thick_all_along_stays_a_line_on_a_page():
    """A paper edge's shadow is long and as thick as a band of writing, but thick all along, with
    no thin stretch of rule: it is still erased on a page (not in a close-up, which has no edges)."""
    edge = np.zeros((200, 1000), np.uint8)
    cv2.line(edge, (0, 100), (999, 100), 1, 14)
    assert not erase_lines(edge, Tilts(edge), 300, 300, 12, bold=7).any()
    assert erase_lines(edge, Tilts(edge), 300, 300, 12, bold=7, close_up=True).any()


def test_vertical_runs_are_found_and_painted_back():
    mask = np.zeros((6, 3), np.uint8)
    mask[0:2, 0] = mask[3:6, 0] = 1
    mask[:, 1] = 1
    tops, cols, lengths = vertical_runs(mask)
    assert sorted(zip(cols.tolist(), tops.tolist(), lengths.tolist())) == [(0, 0, 2), (0, 3, 3), (1, 0, 6)]
    assert (paint_runs(mask.shape, tops, cols, lengths) == mask).all()
