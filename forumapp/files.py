"""Files written whole or not at all: media uploads and printed PDFs.

A file is written under a temporary name in its own folder (`.<name>.<random>.part`), flushed to
disk (fsync), and only then renamed to its real name; a rename within one folder is atomic. A
full disk (ENOSPC), a quota or any other write error removes the temporary file and raises
OSError, so no reader ever sees half a file under a real name, and nothing is left behind.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PART_SUFFIX = ".part"


def is_temporary(name: str) -> bool:
    """A file name write_temporary() gives: hidden from listings, swept when a writer died."""
    return name.startswith(".") and name.endswith(PART_SUFFIX)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_temporary(folder: Path, name: str, data: bytes) -> Path:
    """`data` written and fsynced under a fresh temporary name in `folder` (for `name`)."""
    temporary = folder / f".{name}.{secrets.token_hex(4)}{PART_SUFFIX}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def publish(temporary: Path, target: Path) -> None:
    """Give a written temporary file its real name (atomically, replacing any older file), and
    make the rename itself durable."""
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target`: the old content or the new, never a part of it."""
    publish(write_temporary(target.parent, target.name, data), target)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
