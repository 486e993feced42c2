"""Fingerprinted static files: url_for('static', filename='css/app.css') gives
/static/css/app.<hash>.css, where the hash is of the file's content. A fingerprinted URL never
changes meaning, so it is served with a year's `immutable` caching; a deploy that changes a file
changes its URL. Plain names (and stale fingerprints) still work, with a short cache."""

from __future__ import annotations

import hashlib
import os
import re
import threading

from flask import Flask

FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
YEAR = 365 * 24 * 3600
PLAIN_MAX_AGE = 300


def init_app(app: Flask) -> None:
    hashes: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()

    def content_hash(filename: str) -> str | None:
        path = os.path.join(app.static_folder, filename)
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return None
        known = hashes.get(filename)
        if known and known[0] == mtime:
            return known[1]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        with lock:
            hashes[filename] = (mtime, digest)
        return digest

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and not FINGERPRINTED.match(values["filename"]):
            digest = content_hash(values["filename"])
            if digest:
                stem, ext = os.path.splitext(values["filename"])
                values["filename"] = f"{stem}.{digest}{ext}"

    def static(filename: str):
        match = FINGERPRINTED.match(filename)
        if match:
            plain = match["stem"] + match["ext"]
            if content_hash(plain) == match["hash"]:
                response = app.send_static_file(plain)
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
                return response
            if content_hash(plain) is not None:
                filename = plain  # an old fingerprint: today's file, briefly cached
        response = app.send_static_file(filename)
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = PLAIN_MAX_AGE
        return response

    app.view_functions["static"] = static
