"""Image loading: formats, EXIF orientation, bit depths, alpha, palettes, huge and broken files."""
from __future__ import annotations

import io
import resource
import struct
import subprocess
import sys
import zlib

import cv2
import numpy as np
import pytest

from digitocr.imageheader import read_header
from digitocr.loading import MAX_SIDE, ImageError, folder_images, load_image


def marked_image(height=60, width=100) -> np.ndarray:
    """Gray BGR image with a black square in the top-left corner, so orientation is visible."""
    image = np.full((height, width, 3), 200, np.uint8)
    image[:20, :20] = 0
    return image


def exif_segment(orientation: int, endian: str = ">") -> bytes:
    """A JPEG APP1 segment holding a one-entry EXIF directory with the orientation tag."""
    order = b"MM" if endian == ">" else b"II"
    tiff = order + struct.pack(endian + "HI", 42, 8) + struct.pack(endian + "H", 1)
    tiff += struct.pack(endian + "HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(endian + "I", 0)
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_orientation(image: np.ndarray, orientation: int, endian: str = ">") -> bytes:
    jpeg = cv2.imencode(".jpg", image)[1].tobytes()
    return jpeg[:2] + exif_segment(orientation, endian) + jpeg[2:]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, colour_type: int, rows: list[bytes], *chunks: bytes) -> bytes:
    """A hand-made 8-bit PNG: cv2 cannot write palette or gray+alpha PNGs."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
    pixels = zlib.compress(b"".join(b"\0" + row for row in rows))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(chunks) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".bmp", ".tif", ".webp"])
def test_reads_every_supported_format(tmp_path, suffix):
    original = marked_image()
    path = write(tmp_path, "page" + suffix, cv2.imencode(suffix, original)[1].tobytes())
    image = load_image(path)
    assert image.dtype == np.uint8 and image.shape == original.shape
    assert np.abs(image.astype(int) - original).mean() < 4  # lossless or close to it
    header = read_header(path.read_bytes())
    assert (header.width, header.height) == (100, 60)


def test_non_ascii_path(tmp_path):
    path = write(tmp_path, "größe 写真.png", cv2.imencode(".png", marked_image())[1].tobytes())
    assert load_image(path).shape == (60, 100, 3)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("endian", [">", "<"])
def test_exif_orientation_matches_opencv(tmp_path, orientation, endian):
    data = jpeg_with_orientation(marked_image(), orientation, endian)
    # OpenCV's IMREAD_COLOR applies EXIF orientation itself: it is the reference here.
    reference = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    image = load_image(write(tmp_path, "photo.jpg", data))
    assert image.shape == reference.shape
    assert np.array_equal(image, reference)


def test_exif_orientation_6_turns_the_photo_clockwise(tmp_path):
    image = load_image(write(tmp_path, "phone.jpg", jpeg_with_orientation(marked_image(), 6)))
    assert image.shape[:2] == (100, 60)
    assert image[5, -5].max() < 60 and image[5, 5].min() > 150  # the mark moved to the top right


def test_png_exif_chunk_orientation(tmp_path):
    tiff = exif_segment(3)[4 + 6:]  # the TIFF structure of the APP1 payload
    rows = [bytes([0] * 4 + [255] * 4)] + [bytes([255] * 8)] * 7
    image = load_image(write(tmp_path, "turned.png", png_bytes(8, 8, 0, rows, png_chunk(b"eXIf", tiff))))
    assert image[-1, -1] == 0 and image[0, 0] == 255  # rotated 180°: the dark run is now bottom right


def test_16_bit_gray_gets_full_contrast(tmp_path):
    deep = np.full((20, 30), 4000, np.uint16)  # 12-bit data in a 16-bit file
    deep[5:15, 5:15] = 100
    image = load_image(write(tmp_path, "scan16.png", cv2.imencode(".png", deep)[1].tobytes()))
    assert image.dtype == np.uint8 and image.shape == (20, 30)
    assert image[0, 0] == 255 and image[10, 10] < 10


def test_16_bit_colour_tiff(tmp_path):
    original = marked_image()
    original[-1, -1] = 255  # uses the full 16-bit range, so 8 bits come back unchanged
    deep = original.astype(np.uint16) * 257
    image = load_image(write(tmp_path, "scan16.tif", cv2.imencode(".tif", deep)[1].tobytes()))
    assert image.dtype == np.uint8 and np.array_equal(image, original)


def test_rgba_is_composited_on_white(tmp_path):
    rgba = np.zeros((40, 40, 4), np.uint8)  # transparent black everywhere...
    rgba[10:30, 10:30, 3] = 255  # ...except an opaque black square
    image = load_image(write(tmp_path, "screenshot.png", cv2.imencode(".png", rgba)[1].tobytes()))
    assert image.shape == (40, 40, 3)
    assert image[0, 0].min() == 255 and image[20, 20].max() == 0


def test_gray_alpha_png(tmp_path):
    rows = [bytes([0, 0] * 4)] * 2 + [bytes([0, 255] * 4)] * 2  # (gray, alpha) pairs
    image = load_image(write(tmp_path, "ga.png", png_bytes(4, 4, 4, rows)))
    assert image[0].min() == 255 and image[3].max() == 0


def test_palette_png_with_transparency(tmp_path):
    palette = png_chunk(b"PLTE", bytes([0, 0, 0, 255, 0, 0]))  # index 0 black, 1 red
    transparency = png_chunk(b"tRNS", bytes([0, 255]))  # index 0 fully transparent
    rows = [bytes([0, 0, 1, 1])] * 4
    image = load_image(write(tmp_path, "palette.png", png_bytes(4, 4, 3, rows, palette, transparency)))
    assert image.shape == (4, 4, 3)
    assert image[0, 0].tolist() == [255, 255, 255] and image[0, 3].tolist() == [0, 0, 255]


def test_gray_png_stays_gray(tmp_path):
    image = load_image(write(tmp_path, "gray.png", cv2.imencode(".png", np.full((10, 12), 90, np.uint8))[1].tobytes()))
    assert image.shape == (10, 12) and image[0, 0] == 90


def test_large_jpeg_is_shrunk_while_decoding(tmp_path):
    wide = np.full((300, 9000, 3), 220, np.uint8)
    image = load_image(write(tmp_path, "panorama.jpg", cv2.imencode(".jpg", wide)[1].tobytes()))
    assert max(image.shape[:2]) == MAX_SIDE and image.shape[0] == round(300 * MAX_SIDE / 9000)
    turned = load_image(write(tmp_path, "turned.jpg", jpeg_with_orientation(wide, 6)))
    assert turned.shape[:2] == image.shape[1::-1]  # EXIF still applied on the reduced decode


def huge_gray_png(side: int) -> bytes:
    row = b"\0" + b"\xff" * side
    compressor = zlib.compressobj(1)
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def test_20000_square_png_loads_small_without_gigabytes(tmp_path):
    path = write(tmp_path, "huge.png", huge_gray_png(20000))
    probe = ("import resource, sys; from digitocr.loading import load_image; image = load_image(sys.argv[1]); "
             "print(image.shape[0], image.shape[1], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True).stdout
    height, width, max_rss_kb = map(int, out.split())
    assert (height, width) == (MAX_SIDE, MAX_SIDE)
    assert max_rss_kb < 1_000_000  # under 1 GB: never the 1.2 GB a full colour decode would take


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0))
    data = b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT", zlib.compress(b"\0" * 100)) + png_chunk(b"IEND", b"")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImageError, match=r"bomb.png: PNG image too large \(60000×60000"):
        load_image(write(tmp_path, "bomb.png", data))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000


@pytest.mark.parametrize("name, data, problem", [
    ("empty.jpg", b"", "empty file"),
    ("notes.png", b"these are not pixels\n", "not an image"),
    ("zero.png", png_bytes(0, 5, 0, []), "empty PNG image (0×5 pixels)"),
])
def test_unreadable_files_name_the_file_and_problem(tmp_path, name, data, problem):
    with pytest.raises(ImageError) as err:
        load_image(write(tmp_path, name, data))
    assert str(err.value).startswith(f"{tmp_path / name}: ") and problem in str(err.value)


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp", ".tif", ".bmp"])
def test_truncated_files(tmp_path, suffix, capfd):
    data = cv2.imencode(suffix, marked_image(200, 300))[1].tobytes()
    with pytest.raises(ImageError, match="truncated or corrupt"):
        load_image(write(tmp_path, "cut" + suffix, data[:len(data) // 2]))
    assert capfd.readouterr().err == ""  # OpenCV's own warnings are silenced


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageError, match="missing.jpg: no such file"):
        load_image(tmp_path / "missing.jpg")
    with pytest.raises(ImageError, match="is a folder, not an image file"):
        load_image(tmp_path)


def test_stdin(monkeypatch):
    data = cv2.imencode(".png", marked_image())[1].tobytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert load_image("-").shape == (60, 100, 3)


def test_folder_images_sorted_by_name(tmp_path):
    for name in ("b.PNG", "a.jpg", "c.webp", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert folder_images(str(tmp_path)) == [str(tmp_path / n) for n in ("a.jpg", "b.PNG", "c.webp")]
