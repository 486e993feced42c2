"""Storage in a directory: the instance folder by default, or a volume several hosts share.

Writes are atomic: the data goes to a temporary name in the same directory, is flushed to disk
(fsync), then renamed over the key's name, and the directory is fsynced so the rename survives a
crash. A reader on any host sees the old file or the new one, never a half-written one; a process
killed mid-write leaves only a hidden temporary file, which list() ignores and sweep_temporary()
removes.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import send_file

from forumapp.storage.keys import StoredObject, check_key

_TEMPORARY_MARK = ".tmp-"


class DirectoryStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"DirectoryStorage({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        # check_key already refuses '..'; a symlink inside the root must not lead out of it either.
        if not path.is_relative_to(self.root):
            raise FileNotFoundError(key)
        return path

    def save(self, key: str, data: bytes, content_type: str | None = None) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}{_TEMPORARY_MARK}{secrets.token_hex(6)}")
        try:
            with open(temporary, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        _fsync_directory(target.parent)

    def open(self, key: str):
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return open(path, "rb")

    def read_bytes(self, key: str) -> bytes:
        with self.open(key) as fh:
            return fh.read()

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except FileNotFoundError:  # a link out of the root: not ours
            return False

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except FileNotFoundError:
            pass

    def list(self, prefix: str = "") -> list[StoredObject]:
        # Walk only the deepest folder the prefix names ("prints/1" walks prints/).
        folder = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        if not folder.resolve().is_relative_to(self.root) or not folder.is_dir():
            return []
        found = []
        for directory, subdirectories, files in os.walk(folder):
            subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue  # temporary files of writes in progress (or killed)
                path = Path(directory, name)
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:  # deleted meanwhile by another process
                    continue
                found.append(StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC)))
        return sorted(found, key=lambda obj: obj.key)

    def send(self, key: str, download_name: str | None = None, mimetype: str | None = None,
             max_age: int | None = None):
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return send_file(
            path,
            mimetype=mimetype,
            as_attachment=download_name is not None,
            download_name=download_name or path.name,
            conditional=True,
            etag=True,
            max_age=max_age,
        )

    def sweep_temporary(self, older_than: float = 3600) -> int:
        """Remove temporary files left by writers that died (older than `older_than` seconds)."""
        removed = 0
        limit = time.time() - older_than
        for directory, _subdirectories, files in os.walk(self.root):
            for name in files:
                if name.startswith(".") and _TEMPORARY_MARK in name:
                    path = Path(directory, name)
                    try:
                        if path.stat().st_mtime < limit:
                            path.unlink()
                            removed += 1
                    except FileNotFoundError:
                        pass
        return removed


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
