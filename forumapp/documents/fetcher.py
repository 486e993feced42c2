"""The only way WeasyPrint may load anything: the app's static files and uploaded media.

Documents refer to resources as /static/... and /media/... relative to BASE_URL. Everything else
(file:, other hosts, paths outside those two folders) is refused and remembered, so the organiser
can be told which resources did not load.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

# A name that can never resolve (RFC 2606), so nothing leaves the machine even by mistake.
BASE_URL = "http://forumapp.invalid/"
_HOST = "forumapp.invalid"


class RefusedResource(Exception):
    """Raised to WeasyPrint for a URL it may not load; WeasyPrint then skips the resource."""


class SafeURLFetcher(URLFetcher):
    """WeasyPrint's URLFetcher (the class API of WeasyPrint ≥ 68) narrowed to data: URLs and
    files under static/ and media/. Nothing goes to the network: http(s) URLs on BASE_URL's
    host are mapped to files, and the parent's opener only ever sees data: URLs (its protocol
    list says so too, and redirects are off, so no allowed URL can bounce anywhere)."""

    def __init__(self, static_dir: str | Path, media_dir: str | Path):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.roots = {"static": Path(static_dir).resolve(), "media": Path(media_dir).resolve()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"not allowed in documents: {url}")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    def local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != _HOST:
            return None
        segments = unquote(parts.path).lstrip("/").split("/", 1)
        if len(segments) != 2 or segments[0] not in self.roots:
            return None
        root = self.roots[segments[0]]
        candidate = (root / segments[1]).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate
