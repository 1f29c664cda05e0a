"""What an image file's first bytes say, without decoding it: format, pixel size, EXIF orientation.

Loading needs the size before decoding (to shrink huge images and refuse decompression bombs
without allocating gigabytes) and applies the EXIF orientation itself, because OpenCV only does
so when it also drops the alpha channel.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

ORIENTATION_TAG, WIDTH_TAG, HEIGHT_TAG = 0x0112, 0x0100, 0x0101
JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@dataclass(frozen=True)
class Header:
    format: str  # "JPEG", "PNG", "BMP", "TIFF", "WebP"
    width: int
    height: int
    orientation: int = 1  # EXIF orientation 1..8; 1 means stored upright


def image_format(data: bytes) -> str | None:
    """"JPEG", "PNG", "BMP", "TIFF" or "WebP" from the file's magic bytes; None for anything else."""
    if data.startswith(b"\xff\xd8"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"BM"):
        return "BMP"
    if data[:4] in (b"II*\0", b"MM\0*"):
        return "TIFF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    return None


def read_header(data: bytes) -> Header | None:
    """The header of a JPEG, PNG, BMP, TIFF or WebP file; None for other formats or a garbled header."""
    parse = {"JPEG": _jpeg, "PNG": _png, "BMP": _bmp, "TIFF": _tiff, "WebP": _webp}.get(image_format(data))
    try:
        return parse(data) if parse else None
    except (struct.error, IndexError):
        return None


def _jpeg(data: bytes) -> Header | None:
    size, orientation = None, 1
    i = 2
    while i + 4 <= len(data) and size is None:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        segment = data[i + 4:i + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\0\0"):
            orientation = _tiff_tags(segment[6:]).get(ORIENTATION_TAG, 1)
        elif marker in JPEG_SOF:
            height, width = struct.unpack(">HH", segment[1:5])
            size = (width, height)
        elif marker == 0xDA:  # image data starts; no frame header seen
            return None
        i += 2 + length
    return Header("JPEG", *size, _valid(orientation)) if size else None


def _png(data: bytes) -> Header:
    width, height = struct.unpack(">II", data[16:24])
    orientation, i = 1, 8
    while i + 8 <= len(data):  # an eXIf chunk, if any, comes before the image data
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        if kind in (b"IDAT", b"IEND"):
            break
        if kind == b"eXIf":
            orientation = _tiff_tags(data[i + 8:i + 8 + length]).get(ORIENTATION_TAG, 1)
        i += 12 + length
    return Header("PNG", width, height, _valid(orientation))


def _bmp(data: bytes) -> Header:
    if struct.unpack("<I", data[14:18])[0] == 12:  # OS/2 core header: 16-bit sizes
        width, height = struct.unpack("<HH", data[18:22])
    else:
        width, height = struct.unpack("<ii", data[18:26])
    return Header("BMP", abs(width), abs(height))  # negative height = stored top-down


def _tiff(data: bytes) -> Header | None:
    tags = _tiff_tags(data)
    if WIDTH_TAG not in tags or HEIGHT_TAG not in tags:
        return None
    return Header("TIFF", tags[WIDTH_TAG], tags[HEIGHT_TAG], _valid(tags.get(ORIENTATION_TAG, 1)))


def _webp(data: bytes) -> Header | None:
    size, orientation, i = None, 1, 12
    while i + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[i:i + 8])
        body = data[i + 8:i + 8 + length]
        if kind == b"VP8X":
            size = (1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little"))
        elif kind == b"VP8L" and size is None:
            bits = struct.unpack("<I", body[1:5])[0]
            size = (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF))
        elif kind == b"VP8 " and size is None:
            width, height = struct.unpack("<HH", body[6:10])
            size = (width & 0x3FFF, height & 0x3FFF)
        elif kind == b"EXIF":
            orientation = _tiff_tags(body.removeprefix(b"Exif\0\0")).get(ORIENTATION_TAG, 1)
        i += 8 + length + (length & 1)  # chunks are padded to even sizes
    return Header("WebP", *size, _valid(orientation)) if size else None


def _tiff_tags(tiff: bytes) -> dict[int, int]:
    """The numeric (SHORT or LONG) tags of a TIFF structure's first directory."""
    endian = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if endian is None:
        return {}
    try:
        offset = struct.unpack(endian + "I", tiff[4:8])[0]
        count = struct.unpack(endian + "H", tiff[offset:offset + 2])[0]
        tags = {}
        for entry in range(offset + 2, offset + 2 + 12 * count, 12):
            tag, kind = struct.unpack(endian + "HH", tiff[entry:entry + 4])
            if kind in (3, 4):  # SHORT, LONG: the value sits in the entry itself
                tags[tag] = struct.unpack(endian + ("H" if kind == 3 else "I"), tiff[entry + 8:entry + (10 if kind == 3 else 12)])[0]
        return tags
    except struct.error:
        return {}


def _valid(orientation: int) -> int:
    return orientation if 1 <= orientation <= 8 else 1
