"""Where generated files are kept: the shared storage of forumapp.storage when it is there.

Temporary adapter, to be deleted once forumapp.storage (branch `storage`) is merged: the same
small interface (save/read_bytes/exists/delete/list/send) over a directory under instance/,
written atomically (temporary name, then rename).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, send_file

try:  # the shared storage interface, once merged
    from forumapp.storage import get_storage  # type: ignore[attr-defined]  # noqa: F401
except ImportError:

    @dataclass(frozen=True)
    class StoredObject:
        key: str
        size: int
        modified: datetime

    class _DirectoryStorage:
        def __init__(self, root: Path):
            self.root = root

        def _path(self, key: str) -> Path:
            path = (self.root / key).resolve()
            if not path.is_relative_to(self.root.resolve()) or not key:
                raise ValueError(f"bad storage key {key!r}")
            return path

        def save(self, key: str, data: bytes, content_type: str | None = None) -> None:
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise

        def read_bytes(self, key: str) -> bytes:
            return self._path(key).read_bytes()

        def exists(self, key: str) -> bool:
            return self._path(key).is_file()

        def delete(self, key: str) -> None:
            self._path(key).unlink(missing_ok=True)

        def list(self, prefix: str = "") -> list[StoredObject]:
            found = []
            for path in sorted(self.root.rglob("*")):
                key = path.relative_to(self.root).as_posix()
                if path.is_file() and key.startswith(prefix) and not path.name.startswith(".tmp-"):
                    stat = path.stat()
                    found.append(StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC)))
            return found

        def send(self, key: str, *, download_name: str, mimetype: str):
            path = self._path(key)
            if not path.is_file():
                raise FileNotFoundError(key)
            return send_file(path, mimetype=mimetype, download_name=download_name)

    def get_storage() -> _DirectoryStorage:
        return _DirectoryStorage(Path(current_app.config.get("STORAGE_DIR") or current_app.instance_path))
