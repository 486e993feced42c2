"""What every storage backend offers (typing only; the backends do not inherit from it)."""

from __future__ import annotations

from typing import BinaryIO, Protocol

from flask import Response

from forumapp.storage.keys import StoredObject


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Write the whole object or nothing: a reader sees the old object or the new one."""

    def open(self, key: str) -> BinaryIO:
        """A binary file object to read (close it). FileNotFoundError when absent."""

    def read_bytes(self, key: str) -> bytes:
        """The whole object. FileNotFoundError when absent."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the object; nothing happens when it is already gone."""

    def list(self, prefix: str = "") -> list[StoredObject]:
        """Objects whose key starts with `prefix`, sorted by key."""

    def send(self, key: str, download_name: str | None = None, mimetype: str | None = None,
             max_age: int | None = None) -> Response:
        """A Flask response with the object (conditional: ETag, Last-Modified, 304).
        download_name makes it an attachment; max_age sets Cache-Control. FileNotFoundError
        when absent."""
