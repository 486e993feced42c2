"""A full disk while a file is written: the upload gets a field error (not a 500), the print job
fails with its reason, and no partial or temporary file is left anywhere. The disk is "filled" by
making os.write fail with ENOSPC for files under the folder in question, after a first partial
write, as a real full disk does."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from forumapp.awards.models import PrintJob
from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.files import write_atomically
from tests.awards.conftest import BASE, ceremony, post, print_in_request  # noqa: F401 (fixtures)
from tests.media import samples
from tests.media.test_uploads import media_files, post_organisation

FULL = "The image could not be saved: the server has no room for it right now."


def all_files(folder: Path) -> set[str]:
    """Every file, hidden temporaries included."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def full_disk(monkeypatch):
    """full_disk(folder, after=0): os.write to files under `folder` writes a few bytes, then
    fails with ENOSPC once `after` earlier writes there have succeeded."""
    real_write = os.write

    def fill(folder: Path, after: int = 0):
        folder = Path(folder).resolve()
        calls = {"n": 0}

        def write(fd, data):
            try:
                path = Path(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                return real_write(fd, data)
            if not path.is_relative_to(folder):
                return real_write(fd, data)
            calls["n"] += 1
            if calls["n"] <= after:
                return real_write(fd, data)
            if calls["n"] == after + 1 and len(data) > 16:
                return real_write(fd, bytes(data[:16]))  # a partial write, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "write", write)
        return calls

    return fill


def test_an_upload_on_a_full_disk_is_a_field_error_and_leaves_nothing(app, admin_client, full_disk):
    media = (Path(app.config["STORAGE_DIR"]) / "media")
    before = all_files(media)
    calls = full_disk(media)
    response = post_organisation(admin_client, samples.png(300, 200))
    assert calls["n"] >= 1, "the write went through os.write"
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert FULL in html and 'class="field has-error"' in html
    assert all_files(media) == before, "no partial or temporary file"
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 0


def test_the_disk_filling_up_between_the_two_files_leaves_neither(app, admin_client, full_disk):
    media = (Path(app.config["STORAGE_DIR"]) / "media")
    before = all_files(media)
    full_disk(media, after=1)  # the display copy is written, the thumbnail is not
    response = post_organisation(admin_client, samples.png(300, 200))
    assert response.status_code == 200 and FULL in response.get_data(as_text=True)
    assert all_files(media) == before


def test_a_checked_upload_in_a_form_refused_for_another_field_leaves_no_file(app, admin_client):
    media = (Path(app.config["STORAGE_DIR"]) / "media")
    before = all_files(media)
    response = post_organisation(admin_client, samples.png(300, 200), name="", kind="no-such-kind")
    assert response.status_code == 200 and 'class="field has-error"' in response.get_data(as_text=True)
    assert all_files(media) == before


def test_after_the_disk_is_freed_the_same_upload_is_stored(app, admin_client, full_disk, monkeypatch):
    full_disk(Path(app.config["STORAGE_DIR"]) / "media")
    assert post_organisation(admin_client, samples.png(300, 200)).status_code == 200
    monkeypatch.undo()
    before = media_files(app)
    assert post_organisation(admin_client, samples.png(300, 200)).status_code == 302
    organisation = db.session.scalar(db.select(Organisation))
    assert media_files(app) - before == {organisation.logo, organisation.logo.replace(".jpg", "-thumb.jpg")}


def test_a_file_rewritten_on_a_full_disk_keeps_its_old_content(tmp_path, full_disk):
    target = tmp_path / "result.pdf"
    target.write_bytes(b"%PDF- the old, whole file")
    full_disk(tmp_path)
    with pytest.raises(OSError) as failure:
        write_atomically(target, b"%PDF- a new file" * 100)
    assert failure.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"%PDF- the old, whole file"
    assert all_files(tmp_path) == {"result.pdf"}


def test_a_print_job_on_a_full_disk_is_retried_with_the_reason_and_leaves_no_file(app, admin_client, ceremony,  # noqa: F811
                                                                               full_disk):
    post(admin_client, f"{BASE}/issue", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
         token_from=ceremony["page"])
    prints = Path(app.config["STORAGE_DIR"]) / "prints"  # the directory storage's prints/ prefix
    prints.mkdir(parents=True, exist_ok=True)
    before = all_files(prints)
    full_disk(prints)
    response = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id,
                                                     "background": "1"}, token_from=ceremony["page"])
    assert response.status_code == 302
    job = db.session.scalar(db.select(PrintJob).order_by(PrintJob.id.desc()))
    # A full disk may be freed: the job waits for its next attempt (forumapp/awards/jobs.py), saying why.
    assert job.status == "queued" and "No space left on device" in job.error
    assert all_files(prints) == before
