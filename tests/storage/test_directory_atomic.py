"""The directory backend writes atomically: a reader (on this host or another sharing the
volume) sees the old object or the new one, never a part, and a failed write leaves the old one."""

from __future__ import annotations

import os
import threading
import time

import pytest

from forumapp.storage.directory import DirectoryStorage

OLD, NEW = b"A" * 3_000_000, b"B" * 3_000_000


def test_a_reader_never_sees_a_half_written_object(tmp_path):
    storage = DirectoryStorage(tmp_path)
    storage.save("prints/batch.pdf", OLD)
    seen, stop = set(), threading.Event()

    def read_all_the_time():
        while not stop.is_set():
            try:
                data = storage.read_bytes("prints/batch.pdf")
            except FileNotFoundError:
                seen.add("absent")
                continue
            seen.add((len(data), data[:1], data[-1:]))

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        deadline = time.monotonic() + 3
        for round_ in range(200):
            storage.save("prints/batch.pdf", NEW if round_ % 2 else OLD)
            if time.monotonic() > deadline:
                break
    finally:
        stop.set()
        reader.join()
    assert seen <= {(3_000_000, b"A", b"A"), (3_000_000, b"B", b"B")}, sorted(seen)[:5]


def test_the_temporary_file_is_synced_and_renamed_in_the_same_folder(tmp_path, monkeypatch):
    storage = DirectoryStorage(tmp_path)
    calls = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(("fsync", fd)) or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda src, dst: calls.append(("replace", src, dst)) or real_replace(src, dst))
    storage.save("media/logos/a.png", b"picture")
    kinds = [call[0] for call in calls]
    assert kinds[0] == "fsync" and "replace" in kinds and kinds[-1] == "fsync"  # data, rename, folder
    _, source, target = next(call for call in calls if call[0] == "replace")
    assert source.parent == target.parent == tmp_path / "media" / "logos"
    assert source.name.startswith(".") and target.name == "a.png"


def test_a_write_that_fails_leaves_the_old_object_and_no_stray_file(tmp_path, monkeypatch):
    storage = DirectoryStorage(tmp_path)
    storage.save("media/logos/a.png", b"old picture")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        storage.save("media/logos/a.png", b"new pic")
    monkeypatch.undo()
    assert storage.read_bytes("media/logos/a.png") == b"old picture"
    assert [p.name for p in (tmp_path / "media" / "logos").iterdir()] == ["a.png"]


def test_files_of_killed_writers_are_not_listed_and_are_swept(tmp_path):
    storage = DirectoryStorage(tmp_path)
    storage.save("prints/1.pdf", b"done")
    orphan = tmp_path / "prints" / ".2.pdf.tmp-abc123"
    orphan.write_bytes(b"half")
    assert [obj.key for obj in storage.list("prints/")] == ["prints/1.pdf"]
    assert storage.sweep_temporary(older_than=3600) == 0  # it may still be being written
    os.utime(orphan, (time.time() - 7200, time.time() - 7200))
    assert storage.sweep_temporary(older_than=3600) == 1 and not orphan.exists()


def test_a_symlink_inside_the_folder_does_not_lead_out_of_it(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret_key").write_text("s3cr3t")
    root = tmp_path / "storage"
    root.mkdir()
    (root / "media").symlink_to(outside)
    storage = DirectoryStorage(root)
    with pytest.raises(FileNotFoundError):
        storage.read_bytes("media/secret_key")
    assert not storage.exists("media/secret_key")
