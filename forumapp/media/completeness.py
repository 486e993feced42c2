"""Whether an image that Pillow decoded was whole, not padded.

Pillow refuses a file cut short in the middle of its data, but two kinds of truncation get
through and come out padded (black rows in a PNG, grey blocks in a JPEG), even with
LOAD_TRUNCATED_IMAGES off:
- a PNG whose compressed stream ends properly but holds fewer rows than the header declares;
- a JPEG whose scan data stops at an end-of-image marker (libjpeg calls it a warning,
  "premature end of data segment", and fills in the rest).
WebP is decoded whole by libwebp, which refuses any truncation itself.
"""

from __future__ import annotations

import struct
import zlib

import simplejpeg

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Samples per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA).
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 passes: (x start, y start, x step, y step).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_STEP = 1 << 20


def _png_chunks(data: bytes):
    offset = len(_PNG_SIGNATURE)
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        yield kind, data[offset + 8:offset + 8 + length]
        if kind == b"IEND":
            return
        offset += 12 + length


def _png_expected_bytes(width: int, height: int, depth: int, colour: int, interlaced: bool) -> int:
    """Bytes of filtered scanlines (one filter byte per row) a complete PNG inflates to."""
    bits = depth * _CHANNELS[colour]

    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits + 7) // 8)

    if not interlaced:
        return rows(width, height)
    return sum(
        rows(max(0, (width - x + dx - 1) // dx), max(0, (height - y + dy - 1) // dy)) for x, y, dx, dy in _ADAM7
    )


def png_is_complete(data: bytes) -> bool:
    """Whether the IDAT stream inflates to every row the header declares. Inflated in steps and
    only counted, so memory stays small whatever the picture's size."""
    chunks = _png_chunks(data)
    kind, header = next(chunks, (None, b""))
    if kind != b"IHDR" or len(header) != 13:
        return False
    width, height, depth, colour, _method, _filter, interlace = struct.unpack(">IIBBBBB", header)
    if colour not in _CHANNELS:
        return False
    expected = _png_expected_bytes(width, height, depth, colour, interlace == 1)
    inflater, produced = zlib.decompressobj(), 0
    try:
        for kind, body in chunks:
            if kind != b"IDAT":
                continue
            pending = body
            while pending and produced < expected:
                produced += len(inflater.decompress(pending, _INFLATE_STEP))
                pending = inflater.unconsumed_tail
        while not inflater.eof and produced < expected:
            out = inflater.decompress(b"", _INFLATE_STEP)
            if not out:
                break
            produced += len(out)
    except zlib.error:
        return False
    return produced >= expected


def jpeg_is_complete(data: bytes) -> bool:
    """Whether libjpeg-turbo decodes the JPEG without a warning (strict mode). Decoded at 1/8
    scale: every bit of scan data is still read, at a small cost in time and memory."""
    try:
        simplejpeg.decode_jpeg(data, strict=True, min_factor=8, min_height=1, min_width=1)
    except ValueError:
        return False
    return True


def is_complete(data: bytes, image_format: str) -> bool:
    """For a file Pillow has already decoded as `image_format` (JPEG, PNG or WEBP)."""
    if image_format == "PNG":
        return png_is_complete(data)
    if image_format == "JPEG":
        return jpeg_is_complete(data)
    return True
