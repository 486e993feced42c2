"""The completeness check refuses what Pillow pads and accepts every whole PNG and JPEG variant
(colour types, bit depths, interlacing, progressive and CMYK JPEG)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from forumapp.media.completeness import is_complete, jpeg_is_complete, png_is_complete
from tests.media import samples


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


WHOLE_PNGS = {
    "rgb": Image.effect_noise((123, 77), 60).convert("RGB"),
    "rgba": Image.effect_noise((64, 33), 60).convert("RGBA"),
    "grey": Image.effect_noise((31, 17), 60),
    "grey+alpha": Image.effect_noise((9, 5), 60).convert("LA"),
    "palette": Image.effect_noise((40, 41), 60).convert("P"),
    "1-bit": Image.effect_noise((13, 7), 60).convert("1"),
    "16-bit grey": Image.effect_noise((21, 11), 60).convert("I;16"),
    "1x1": Image.new("RGB", (1, 1)),
}


@pytest.mark.parametrize("interlace", [False, True])
@pytest.mark.parametrize("kind", WHOLE_PNGS)
def test_whole_pngs_are_complete_interlaced_or_not(kind, interlace):
    # Pillow does not write Adam7, so interlaced samples come from the small writer below.
    data = _interlaced_copy(WHOLE_PNGS[kind]) if interlace else encoded(WHOLE_PNGS[kind], "PNG")
    assert png_is_complete(data)
    # The same picture with its data cut to fewer rows is not.
    Image.open(io.BytesIO(data)).load()
    assert not png_is_complete(_drop_last_bytes_of_stream(data))


def test_pngs_missing_rows_and_jpegs_ending_early_are_incomplete():
    assert not is_complete(samples.png_missing_rows(), "PNG")
    assert not is_complete(samples.jpeg_ending_early(), "JPEG")
    assert not jpeg_is_complete(samples.jpeg_ending_early(progressive=True))


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
@pytest.mark.parametrize("progressive", [False, True])
def test_whole_jpegs_are_complete(mode, progressive):
    image = Image.effect_noise((300, 200), 60).convert(mode)
    assert jpeg_is_complete(encoded(image, "JPEG", progressive=progressive))
    assert is_complete(samples.webp(), "WEBP")


def _drop_last_bytes_of_stream(data: bytes) -> bytes:
    """Re-wrap the PNG with its inflated data short by one row's worth of bytes, in a finished
    zlib stream, as a file cut short and re-saved would be."""
    import struct
    import zlib

    from tests.media.samples import _chunk

    chunks, offset, idat, header = [], 8, b"", b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        elif kind != b"IEND":
            chunks.append(_chunk(kind, body))
        offset += 12 + length
    raw = zlib.decompress(idat)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + b"".join(chunks)
            + _chunk(b"IDAT", zlib.compress(raw[:-1])) + _chunk(b"IEND", b""))


def _interlaced_copy(image: Image.Image) -> bytes:
    """The picture as an Adam7-interlaced PNG (8-bit RGB; filter 0 on every row)."""
    import struct
    import zlib

    from tests.media.samples import _chunk

    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.tobytes()
    raw = b""
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                           (0, 1, 1, 2)):
        columns = range(x0, width, dx)
        if not columns:
            continue
        for y in range(y0, height, dy):
            raw += b"\x00" + b"".join(pixels[(y * width + x) * 3:(y * width + x) * 3 + 3] for x in columns)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")
    decoded = Image.open(io.BytesIO(data))
    assert decoded.info.get("interlace") and decoded.convert("RGB").tobytes() == pixels, "a valid Adam7 file"
    return data
