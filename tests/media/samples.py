"""Image files for upload tests, made with Pillow (and by hand for the broken ones)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png(width=120, height=80, color=(200, 40, 40), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color).save(out, "PNG")
    return out.getvalue()


def webp(width=64, height=64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 90)).save(out, "WEBP")
    return out.getvalue()


def jpeg_with_exif(width=2400, height=1200) -> bytes:
    """A photo carrying a camera model, a comment and GPS coordinates (Almaty)."""
    image = Image.new("RGB", (width, height), (30, 60, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model X-42"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (43.0, 15.0, 0.0)
    gps[3], gps[4] = "E", (76.0, 57.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken backstage")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=60_000, height=60_000) -> bytes:
    """A few hundred bytes that claim to be a width × height greyscale picture."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    body = compressor.compress(row * 4) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(out, "JPEG")
    data = out.getvalue()
    return data[: len(data) // 2]


def png_missing_rows(width=50, height=40, rows=10) -> bytes:
    """A well-formed PNG (every chunk, a finished zlib stream, IEND) whose data holds only the
    first `rows` of the `height` rows its header declares: a file cut short and re-wrapped."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes([200, 40, 40]) * width for _ in range(rows))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


def jpeg_ending_early(progressive=False) -> bytes:
    """Half a JPEG's scan data followed by an end-of-image marker (libjpeg pads the rest grey)."""
    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(out, "JPEG", progressive=progressive)
    data = out.getvalue()
    return data[: len(data) // 2] + b"\xff\xd9"


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
