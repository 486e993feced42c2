"""Uploaded media go through the storage and are served from it, on either backend; media that
were already stored (instance/media, or a folder being moved to S3) keep their database paths."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from forumapp.extensions import db
from forumapp.media.images import MEDIA_PREFIX
from forumapp.shows.models import CollectionImage
from tests.conftest import csrf_token, make_event, make_item
from tests.media import samples
from tests.shows.test_public_show_pages import published_show
from tests.sponsors.test_partners import PAGE, add_partner, organisation, tiers


def upload_look(client):
    event, _item, evening, _run = published_show()
    url = f"/manage/e/{event.slug}/collections/{evening.id}"
    response = client.post(f"{url}/images", data={
        "csrf_token": csrf_token(client, url), "image-caption-en": "Look 1",
        "image-image": (io.BytesIO(samples.jpeg_with_exif(900, 1350)), "look1.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    return db.session.scalar(db.select(CollectionImage))


def test_a_lookbook_picture_is_stored_and_served_from_the_storage(app, app_storage, admin_client):
    picture = upload_look(admin_client)
    keys = {obj.key for obj in app_storage.list(MEDIA_PREFIX)}
    thumb = picture.path.replace(".jpg", "-thumb.jpg")
    assert keys == {MEDIA_PREFIX + picture.path, MEDIA_PREFIX + thumb}
    if app.config["STORAGE_BACKEND"] == "s3":  # nothing went to a local folder on the way
        assert not Path(app.config["STORAGE_DIR"]).exists()
    served = admin_client.get(f"/media/{picture.path}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == app_storage.read_bytes(MEDIA_PREFIX + picture.path)
    assert Image.open(io.BytesIO(served.data)).size == (picture.width, picture.height)
    assert served.cache_control.public and served.cache_control.max_age == 7 * 24 * 3600
    assert served.headers["Content-Security-Policy"] == "default-src 'none'"
    assert admin_client.get(f"/media/{picture.path}", headers={"If-None-Match": served.headers["ETag"]}).status_code == 304
    assert admin_client.get(f"/media/{thumb}").status_code == 200


def test_removing_a_picture_removes_it_from_the_storage(app_storage, admin_client):
    picture = upload_look(admin_client)
    event_slug, evening_id = "test-forum", picture.collection_id
    url = f"/manage/e/{event_slug}/collections/{evening_id}"
    response = admin_client.post(f"{url}/images/{picture.id}/remove", data={"csrf_token": csrf_token(admin_client, url)})
    assert response.status_code == 302
    assert app_storage.list(MEDIA_PREFIX) == []
    assert admin_client.get(f"/media/{picture.path}").status_code == 404


def test_missing_and_malformed_media_paths_are_404(app_storage, client):
    for path in ("logos/none.png", "../secret_key", "logos/.hidden.png", "..%2Fsecret_key", "logos//a.png"):
        assert client.get(f"/media/{path}").status_code == 404, path


def test_a_logo_in_a_pdf_is_read_from_the_storage(app_storage, admin_client):
    event = make_event()
    make_item(event, "Пленарное заседание")
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    add_partner(admin_client, organisation("Almaty Technological University"), tiers()["Supporter"],
                logo=("logo.png", samples.png(200, 80)))
    assert len(app_storage.list(MEDIA_PREFIX + "logos/")) == 2
    pdf = admin_client.get(f"/e/{event.slug}/programme.pdf").data
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_media_already_under_instance_media_keep_their_paths(app, client, tmp_path):
    """Before the storage, uploads lived in instance/media/<path> and the database kept <path>:
    with the default directory storage (the instance folder) they are where the storage looks."""
    instance = tmp_path / "instance"
    (instance / "media" / "logos").mkdir(parents=True)
    (instance / "media" / "logos" / "0123abcd.png").write_bytes(samples.png(20, 20))
    saved = app.config["STORAGE_BACKEND"], app.config["STORAGE_DIR"]
    app.config.update(STORAGE_BACKEND="", STORAGE_DIR=str(instance))
    try:
        response = client.get("/media/logos/0123abcd.png")
        assert response.status_code == 200 and response.data == samples.png(20, 20)
    finally:
        app.config.update(STORAGE_BACKEND=saved[0], STORAGE_DIR=saved[1])


def test_an_old_media_folder_is_imported_into_s3_under_the_same_paths(app, runner, client, tmp_path, s3_endpoint):
    from tests.storage.conftest import new_bucket

    old = tmp_path / "old-media"
    (old / "photos").mkdir(parents=True)
    (old / "photos" / "feedface.jpg").write_bytes(b"\xff\xd8 photo")
    (old / "photos" / ".feedface.jpg.part").write_bytes(b"half")  # a write that never finished
    settings = {"STORAGE_BACKEND": "s3", "S3_BUCKET": new_bucket(s3_endpoint), "S3_ENDPOINT_URL": s3_endpoint}
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    try:
        assert client.get("/media/photos/feedface.jpg").status_code == 404
        result = runner.invoke(args=["storage", "import-media", str(old)])
        assert "1 copied" in result.output, result.output
        assert client.get("/media/photos/feedface.jpg").data == b"\xff\xd8 photo"
        again = runner.invoke(args=["storage", "import-media", str(old)])
        assert "0 copied, 1 already there" in again.output
    finally:
        app.config.update(saved)
