"""How every download is named: one Content-Disposition for PDFs, exports and calendars.

File names carry event codes and certificate numbers that organisers type (`ЖОФ-2016-00171`).
HTTP headers are latin-1 on the wire, so a raw `filename="ЖОФ…"` is refused by gunicorn
("Invalid HTTP Header") and the connection drops. RFC 6266 names a file twice: `filename*`
with the UTF-8 name percent-encoded (RFC 8187), which every current browser uses, and a plain
ASCII `filename` for the rest.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

# RFC 8187 attr-char beyond letters and digits; everything else is percent-encoded.
_ATTR_CHARS = "!#$&+-.^_`|~"
_UNSAFE_FALLBACK = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(filename: str, default: str = "download") -> str:
    """The name with accents dropped and anything outside [A-Za-z0-9._-] made `_` (so no quote,
    backslash, control character or path separator reaches the header); `default` when nothing of
    the stem is left, keeping the extension."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""

    def clean(part: str) -> str:
        plain = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
        return _UNSAFE_FALLBACK.sub("_", plain).strip("._-")

    stem, extension = clean(stem), clean(extension)
    stem = stem if stem.strip("_") else default
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment` (or `inline`) with both names; the value is always latin-1 encodable."""
    kind = "inline" if inline else "attachment"
    encoded = quote(filename, safe=_ATTR_CHARS, encoding="utf-8")
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def named(response: Response, filename: str, *, inline: bool = False) -> Response:
    """Name a response's file (for responses built elsewhere, e.g. by send_file)."""
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def download(data: bytes | str, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    """A response carrying `data` as the named file. A type that already names its parameters
    (`text/calendar; charset=utf-8`) is sent as it is: given as a mimetype, Werkzeug would add
    the charset a second time."""
    response = Response(data, content_type=mimetype) if ";" in mimetype else Response(data, mimetype=mimetype)
    return named(response, filename, inline=inline)
