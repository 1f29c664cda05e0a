"""Taking the photo: the sheet in perspective (on a desk or filling the frame), uneven light
and soft shadows, lens blur, sensor noise and the phone's JPEG encoder."""
from __future__ import annotations

import math
import cv2
import numpy as np

from .knobs import Knobs
from .noise import gaussian, smooth_noise, tinted

LIGHT_SCALE = 8  # the light field is smooth, so it is computed at 1/8 resolution
WOOD = (0.3, 0.45, 0.62)  # BGR
DESKS = (WOOD, (0.55, 0.56, 0.57), (0.2, 0.21, 0.23), (0.75, 0.78, 0.8))


def photograph(sheet: np.ndarray, boxes: list[np.ndarray], knobs: Knobs,
               rng: np.random.Generator) -> tuple[bytes, np.ndarray, bool]:
    """Photograph ``sheet`` (H×W×3 float32); ``boxes`` (N×4×2 sheet points) must stay in view.

    Returns the JPEG file, the homography from sheet to photo pixels, and whether the sheet lies
    on a desk that shows around it (else the paper fills the photo)."""
    on_desk = rng.random() < knobs.desk_chance
    zoom = rng.uniform(0.78, 0.92) if on_desk else rng.uniform(1.0, 1.06)
    angle = math.radians(rng.uniform(-knobs.rotation_deg, knobs.rotation_deg))
    corners_jitter = rng.uniform(-knobs.perspective, knobs.perspective, (4, 2))
    h, w = sheet.shape[:2]
    while True:  # step back until all the writing is in the picture
        size = (round(w / zoom), round(h / zoom))
        homography = _view(w, h, size, angle, corners_jitter)
        points = np.concatenate(boxes) if boxes else np.zeros((0, 2))
        seen = cv2.perspectiveTransform(points.reshape(-1, 1, 2).astype(np.float64), homography).reshape(-1, 2)
        if len(seen) == 0 or (seen.min() >= 2 and (seen < np.array(size) - 2).all()):
            break
        zoom *= 0.95
    if on_desk:
        frame = _desk(size, homography, (w, h), rng)
        cv2.warpPerspective(sheet, homography, size, dst=frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    else:
        frame = cv2.warpPerspective(sheet, homography, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    cv2.multiply(frame, _light(size, knobs, rng), dst=frame)
    sigma = rng.uniform(*knobs.blur_sigma)
    if sigma > 0.25:
        frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    noise = gaussian((size[1], size[0]), rng) * np.float32(rng.uniform(*knobs.noise_sigma) / 255)
    cv2.add(frame, cv2.merge([noise] * 3), dst=frame)
    pixels = cv2.multiply(frame, (255, 255, 255, 0), dtype=cv2.CV_8U)  # rounds and saturates
    quality = int(rng.integers(knobs.jpeg_quality[0], knobs.jpeg_quality[1] + 1))
    jpeg = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes()
    return jpeg, homography, on_desk


def _view(w: int, h: int, size: tuple[int, int], angle: float, corners_jitter: np.ndarray) -> np.ndarray:
    """Homography putting the sheet's centre at the photo's centre, rotated and in perspective."""
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    centred = corners - (w / 2, h / 2)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    moved = centred @ rotation.T + corners_jitter * (w, h) + (size[0] / 2, size[1] / 2)
    return cv2.getPerspectiveTransform(corners.astype(np.float32), moved.astype(np.float32))


def _desk(size: tuple[int, int], homography: np.ndarray, sheet_size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A table top (wood grain or plain) with the soft shadow the sheet casts on it."""
    w, h = size
    colour = DESKS[rng.integers(len(DESKS))]
    grain = 0.12 * smooth_noise((h, w), (h // 6, 3), rng) if colour == WOOD else 0.04 * smooth_noise((h, w), (8, 8), rng)
    small = (max(2, w // LIGHT_SCALE), max(2, h // LIGHT_SCALE))
    outline = cv2.perspectiveTransform(np.array([[[0, 0]], [[sheet_size[0], 0]], [[sheet_size[0], sheet_size[1]]], [[0, sheet_size[1]]]],
                                                np.float64), homography).reshape(-1, 2)
    shadow = np.zeros(small[::-1], np.float32)
    cv2.fillPoly(shadow, [np.round((outline + rng.uniform(2, 12, 2)) / LIGHT_SCALE).astype(np.int32)], 1.0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 2.0)
    return tinted((1 + grain) * (1 - 0.35 * cv2.resize(shadow, size)), colour)


def _light(size: tuple[int, int], knobs: Knobs, rng: np.random.Generator) -> np.ndarray:
    """H×W×3 multiplier: exposure and colour cast, light falling off across the page, a soft shadow."""
    w, h = size
    small = (max(2, h // LIGHT_SCALE), max(2, w // LIGHT_SCALE))
    ys, xs = np.mgrid[0:small[0], 0:small[1]].astype(np.float32)
    direction = rng.uniform(0, 2 * math.pi)
    ramp = (xs / small[1] - 0.5) * math.cos(direction) + (ys / small[0] - 0.5) * math.sin(direction)
    blotch = smooth_noise(small, (3, 3), rng)
    field = ramp + 0.3 * blotch
    field = (field - field.min()) / max(float(np.ptp(field)), 1e-6)  # 0 where brightest, 1 where darkest
    light = 1 - rng.uniform(*knobs.uneven_light) * field
    if rng.random() < knobs.shadow_chance:
        # The edge of a hand's or phone's shadow: a soft, slightly curved boundary.
        edge_angle = rng.uniform(0, 2 * math.pi)
        px, py = rng.uniform(0.2, 0.8) * small[1], rng.uniform(0.2, 0.8) * small[0]
        distance = (xs - px) * math.cos(edge_angle) + (ys - py) * math.sin(edge_angle) + 0.05 * blotch * max(small)
        softness = rng.uniform(0.02, 0.1) * max(small)
        light *= 1 - rng.uniform(0.2, 0.45) / (1 + np.exp(-distance / softness))
    cast = (rng.uniform(0.85, 1.08) * (1 + rng.uniform(-0.05, 0.05, 3))).astype(np.float32)
    return tinted(cv2.resize(light, size, interpolation=cv2.INTER_LINEAR), cast)
