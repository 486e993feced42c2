"""The only way WeasyPrint may load anything: the app's static files and uploaded media.

Media are read from the shared storage (forumapp.storage) when one is given, so a document
rendered on any host, or in a worker process, finds what was uploaded through another.

Documents refer to resources as /static/... and /media/... relative to BASE_URL. Everything else
(file:, other hosts, paths outside those two folders) is refused and remembered, so the organiser
can be told which resources did not load.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import default_url_fetcher

from forumapp.storage.keys import InvalidKey

# A name that can never resolve (RFC 2606), so nothing leaves the machine even by mistake.
BASE_URL = "http://forumapp.invalid/"
_HOST = "forumapp.invalid"
MEDIA_PREFIX = "media/"


class RefusedResource(Exception):
    """Raised to WeasyPrint for a URL it may not load; WeasyPrint then skips the resource."""


class SafeURLFetcher:
    def __init__(self, static_dir: str | Path, media):
        """`media`: the storage (its media/ prefix holds the uploads), or a folder of uploads."""
        self.roots = {"static": Path(static_dir).resolve()}
        self.storage = None
        if isinstance(media, str | Path):
            self.roots["media"] = Path(media).resolve()
        else:
            self.storage = media
        self.refused: list[str] = []

    def __call__(self, url: str, timeout: int = 10, ssl_context=None, http_headers=None):
        if url.startswith("data:"):
            return default_url_fetcher(url)
        if self.storage is not None:
            found = self._from_storage(url)
            if found is not None:
                return found
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedResource(f"not allowed in documents: {url}")
        mime, _ = mimetypes.guess_type(path.name)
        return {"string": path.read_bytes(), "mime_type": mime, "redirected_url": url}

    def _from_storage(self, url: str) -> dict | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != _HOST:
            return None
        path = unquote(parts.path).lstrip("/")
        if not path.startswith(MEDIA_PREFIX):
            return None
        try:
            data = self.storage.read_bytes(path)  # keys are the URL's path: media/logos/ab12.png
        except (InvalidKey, FileNotFoundError):
            return None
        mime, _ = mimetypes.guess_type(path)
        return {"string": data, "mime_type": mime, "redirected_url": url}

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
