"""Image files to arrays ready for reading: upright, 8-bit, alpha on white, huge ones shrunk; and
a picture set in a margin of its own paper (for close-ups and single digits).

``load_image`` returns a gray (H×W) or BGR (H×W×3) uint8 array and raises ImageError, whose
message names the file and the problem, for anything it cannot read.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from .imageheader import Header, image_format, read_header

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}
MAX_SIDE = 4000  # longest side after loading: plenty for digits, and it bounds time and memory
# Only JPEG can decode straight to a reduced size; other formats are decoded whole first
# (as gray, one byte a pixel), so refuse those beyond this many pixels.
MAX_FULL_DECODE_PIXELS = 1 << 29
REDUCED_FLAGS = {  # decode-time shrink factor -> (colour flag, gray flag)
    2: (cv2.IMREAD_REDUCED_COLOR_2, cv2.IMREAD_REDUCED_GRAYSCALE_2),
    4: (cv2.IMREAD_REDUCED_COLOR_4, cv2.IMREAD_REDUCED_GRAYSCALE_4),
    8: (cv2.IMREAD_REDUCED_COLOR_8, cv2.IMREAD_REDUCED_GRAYSCALE_8),
}
# EXIF orientation -> (transpose first?, cv2.flip code or None), as in OpenCV's own ApplyExifOrientation.
ORIENTATIONS = {1: (False, None), 2: (False, 1), 3: (False, -1), 4: (False, 0),
                5: (True, None), 6: (True, 1), 7: (True, -1), 8: (True, 0)}


class ImageError(Exception):
    """An input could not be read as an image; the message names the file and the problem."""


def folder_images(folder: str) -> list[str]:
    """The image files in a folder (by suffix), sorted by name, as paths joined to ``folder`` as given."""
    names = sorted(n for n in os.listdir(folder) if Path(n).suffix.lower() in IMAGE_SUFFIXES)
    return [os.path.join(folder, name) for name in names]


def load_image(source: str | Path) -> np.ndarray:
    """Read an image file (``"-"``: standard input) as gray or BGR uint8."""
    name = str(source)
    return decode(read_bytes(name), name)


def read_bytes(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise ImageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ImageError(f"{name}: is a folder, not an image file") from None
    except OSError as err:
        raise ImageError(f"{name}: cannot read ({err.strerror or err})") from None


def decode(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Encoded image bytes to an upright gray or BGR uint8 array of at most MAX_SIDE pixels a side."""
    if not data:
        raise ImageError(f"{name}: empty file (0 bytes)")
    kind, header = image_format(data), read_header(data)
    if header is not None and (header.width == 0 or header.height == 0):
        raise ImageError(f"{name}: empty {kind} image ({header.width}×{header.height} pixels)")
    if header is not None and kind != "JPEG" and header.width * header.height > MAX_FULL_DECODE_PIXELS:
        raise ImageError(f"{name}: {kind} image too large ({header.width}×{header.height} pixels); "
                         "shrink it or save it as JPEG")
    with _quiet_opencv():
        try:
            image = cv2.imdecode(np.frombuffer(data, np.uint8), _flags(header))
        except cv2.error:
            image = None
    if image is None or image.size == 0:
        if kind is None:
            raise ImageError(f"{name}: not an image, or a format digitocr cannot read (use JPEG, PNG, BMP, TIFF or WebP)")
        raise ImageError(f"{name}: truncated or corrupt {kind} file")
    image = to_uint8(image)
    if header is not None:
        image = _upright(image, header.orientation)
    return _shrink(image)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Any decoded array (gray, BGR, BGRA; 8/16-bit or float) to gray or BGR uint8, alpha composited on white."""
    channels = 1 if image.ndim == 2 else image.shape[2]
    if channels in (2, 4):
        alpha = image[:, :, -1:].astype(np.float32) / _full_scale(image.dtype)
        colour = _depth_to_uint8(image[:, :, :-1]).astype(np.float32)
        image = np.rint(colour * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    image = _depth_to_uint8(image)
    return image[:, :, 0] if image.ndim == 3 and image.shape[2] == 1 else image


def _depth_to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    # Scale by the brightest value rather than the type's range: 12-bit data in a 16-bit file
    # and float images in 0..1 both come out with full contrast.
    peak = float(image.max()) if image.size else 0.0
    scale = 255.0 / peak if peak > 0 else 0.0
    return np.clip(image.astype(np.float32) * scale, 0, 255).round().astype(np.uint8)


def _full_scale(dtype: np.dtype) -> float:
    return float(np.iinfo(dtype).max) if np.issubdtype(dtype, np.integer) else 1.0


def _reduction(header: Header | None) -> int:
    """The largest decode-time shrink factor that still leaves the long side ≥ MAX_SIDE."""
    if header is None:
        return 1
    long_side = max(header.width, header.height)
    return max([f for f in REDUCED_FLAGS if long_side // f >= MAX_SIDE], default=1)


def _flags(header: Header | None) -> int:
    factor = _reduction(header)
    if factor == 1:
        return cv2.IMREAD_UNCHANGED  # keeps alpha and 16 bits; ignores EXIF (applied by _upright)
    colour, gray = REDUCED_FLAGS[factor]
    # A huge non-JPEG is decoded whole before shrinking: gray costs a third of the memory of colour.
    return (colour if header.format == "JPEG" else gray) | cv2.IMREAD_IGNORE_ORIENTATION


def _upright(image: np.ndarray, orientation: int) -> np.ndarray:
    transpose, flip = ORIENTATIONS[orientation]
    if transpose:
        image = cv2.transpose(image)
    return image if flip is None else cv2.flip(image, flip)


def _shrink(image: np.ndarray) -> np.ndarray:
    scale = MAX_SIDE / max(image.shape[:2])
    return image if scale >= 1 else scaled(image, scale)


def scaled(image: np.ndarray, scale: float) -> np.ndarray:
    """The image resized by ``scale`` (area-averaged when shrinking, cubic when enlarging)."""
    height, width = image.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def with_paper_around(image: np.ndarray, side: int, margin: float) -> tuple[np.ndarray, float, int]:
    """The picture scaled so that its longer side is ``side`` pixels and surrounded on every side by
    ``margin`` × that side of its own paper colour (the median border pixel); also the scale and
    the width of the margin in pixels."""
    scale = side / max(image.shape[:2])
    image = scaled(image, scale)
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    pad = round(margin * max(image.shape[:2]))
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=np.median(border, axis=0).tolist()), scale, pad


@contextmanager
def _quiet_opencv():
    """Silence OpenCV's own decoder warnings: ImageError reports the problem in one line."""
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)
