"""The storage interface behaves the same on a directory and on S3 (over HTTP, moto's server)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from forumapp.storage import InvalidKey, make_storage

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 400  # ~100 kB, every byte value


def test_saved_bytes_are_read_back_whole_and_a_second_save_replaces_them(storage):
    storage.save("prints/batch-1.pdf", PDF, content_type="application/pdf")
    assert storage.read_bytes("prints/batch-1.pdf") == PDF
    with storage.open("prints/batch-1.pdf") as fh:
        assert fh.read(9) == b"%PDF-1.7\n" and fh.read() == PDF[9:]
    storage.save("prints/batch-1.pdf", b"second")
    assert storage.read_bytes("prints/batch-1.pdf") == b"second"


def test_an_absent_object_is_file_not_found_and_deleting_it_is_harmless(storage):
    assert not storage.exists("media/logos/none.png")
    for read in (storage.read_bytes, storage.open):
        with pytest.raises(FileNotFoundError):
            read("media/logos/none.png")
    storage.delete("media/logos/none.png")
    storage.save("media/logos/a.png", b"x")
    assert storage.exists("media/logos/a.png")
    storage.delete("media/logos/a.png")
    assert not storage.exists("media/logos/a.png")
    with pytest.raises(FileNotFoundError):
        storage.read_bytes("media/logos/a.png")


def test_list_gives_key_size_and_time_of_the_objects_under_a_prefix(storage):
    before = datetime.now(UTC) - timedelta(minutes=5)
    storage.save("prints/1/badges.pdf", b"12345")
    storage.save("prints/10/badges.pdf", b"123")
    storage.save("prints/2.pdf", b"1")
    storage.save("media/logos/a.png", b"1234567")
    listed = storage.list("prints/1")
    assert [(obj.key, obj.size) for obj in listed] == [("prints/1/badges.pdf", 5), ("prints/10/badges.pdf", 3)]
    assert all(before < obj.modified < datetime.now(UTC) + timedelta(minutes=5) for obj in listed)
    assert [obj.key for obj in storage.list("prints/")] == ["prints/1/badges.pdf", "prints/10/badges.pdf", "prints/2.pdf"]
    assert [obj.key for obj in storage.list("media/")] == ["media/logos/a.png"]
    assert storage.list("nothing/") == []
    assert {obj.key for obj in storage.list()} >= {"prints/2.pdf", "media/logos/a.png"}


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "media/../secret_key", "media//a.png", ".hidden",
                                 "media/.a.png.tmp-1", "", "media/", "a\\b", "media/a b.png"])
def test_keys_that_could_escape_or_hide_are_refused(storage, key):
    for call in (lambda: storage.save(key, b"x"), lambda: storage.read_bytes(key), lambda: storage.exists(key),
                 lambda: storage.delete(key), lambda: storage.open(key)):
        with pytest.raises(InvalidKey):
            call()


def test_kazakh_and_russian_names_are_valid_keys(storage):
    storage.save("media/lookbooks/Гүлмира-Уақытова.png", "Әә".encode())
    assert storage.read_bytes("media/lookbooks/Гүлмира-Уақытова.png") == "Әә".encode()
    assert [obj.key for obj in storage.list("media/lookbooks/")] == ["media/lookbooks/Гүлмира-Уақытова.png"]


def serving(storage, **send_options):
    """A tiny app that serves the storage's objects at /o/<key>, as the media view does."""
    app = Flask(__name__)

    @app.route("/o/<path:key>")
    def serve(key):
        try:
            return storage.send(key, **send_options)
        except FileNotFoundError:
            return "absent", 404

    return app.test_client()


def test_send_is_a_cacheable_conditional_response(storage):
    storage.save("media/logos/a.png", b"\x89PNG picture", content_type="image/png")
    client = serving(storage, mimetype="image/png", max_age=3600)
    response = client.get("/o/media/logos/a.png")
    assert response.status_code == 200 and response.data == b"\x89PNG picture"
    assert response.mimetype == "image/png" and response.content_length == 12
    assert response.cache_control.max_age == 3600 and response.cache_control.public
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    revalidated = client.get("/o/media/logos/a.png", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304 and revalidated.data == b""
    by_date = client.get("/o/media/logos/a.png", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    storage.save("media/logos/a.png", b"\x89PNG another picture", content_type="image/png")
    changed = client.get("/o/media/logos/a.png", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.data == b"\x89PNG another picture"
    assert client.get("/o/media/logos/none.png").status_code == 404


def test_send_with_a_download_name_is_an_attachment_with_that_name(storage):
    storage.save("prints/7/certificates.pdf", PDF)
    client = serving(storage, download_name="Сертификаты Гүлмира.pdf", mimetype="application/pdf")
    response = client.get("/o/prints/7/certificates.pdf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''%D0%A1%D0%B5%D1%80" in disposition  # the name, RFC 5987 encoded
    assert response.data == PDF and response.mimetype == "application/pdf"


def test_a_storage_crosses_into_a_worker_process(storage):
    """Print pools and Celery workers get the storage pickled; the copy reaches the same objects."""
    storage.save("media/a.png", b"shared")
    copy = pickle.loads(pickle.dumps(storage))
    assert copy.read_bytes("media/a.png") == b"shared"


def test_the_backend_is_chosen_by_the_configuration(tmp_path, s3_endpoint):
    assert type(make_storage({"STORAGE_DIR": str(tmp_path)})).__name__ == "DirectoryStorage"
    assert type(make_storage({"S3_BUCKET": "forumapp-x", "S3_ENDPOINT_URL": s3_endpoint})).__name__ == "S3Storage"
    with pytest.raises(RuntimeError, match="FORUMAPP_S3_BUCKET"):
        make_storage({"STORAGE_BACKEND": "s3"})
    with pytest.raises(RuntimeError, match="unknown"):
        make_storage({"STORAGE_BACKEND": "ftp"})
