"""Uploaded images through the organisation and person forms: only real images are kept, always
re-encoded without metadata; every bad upload is a clear error that leaves nothing behind."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.media.images import DISPLAY_MAX, MEDIA_PREFIX, ImageRejected, save_image
from forumapp.storage import get_storage
from tests.conftest import csrf_token, media_bytes
from tests.media import samples

NEW_ORG = "/manage/organisations/new"


def media_files(app) -> set[str]:
    return {obj.key.removeprefix(MEDIA_PREFIX) for obj in get_storage().list(MEDIA_PREFIX)}


def post_organisation(client, upload: bytes | None, filename="logo.png", name="Zhasampaz", **extra):
    data = {"csrf_token": csrf_token(client, NEW_ORG), "name-en": name, "kind": "consortium", "parent_id": "0", **extra}
    if upload is not None:
        data["logo"] = (io.BytesIO(upload), filename)
    return client.post(NEW_ORG, data=data, content_type="multipart/form-data")


def test_a_logo_is_stored_re_encoded_and_served(app, admin_client):
    before = media_files(app)
    response = post_organisation(admin_client, samples.png(300, 200))
    assert response.status_code == 302
    organisation = db.session.scalar(db.select(Organisation))
    assert organisation.logo.startswith("logos/") and organisation.logo.endswith(".jpg")
    assert media_files(app) - before == {organisation.logo, organisation.logo.replace(".jpg", "-thumb.jpg")}
    served = admin_client.get(f"/media/{organisation.logo}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).size == (300, 200)
    form_page = admin_client.get(f"/manage/organisations/{organisation.id}").get_data(as_text=True)
    assert f"/media/{organisation.logo.replace('.jpg', '-thumb.jpg')}" in form_page


def test_transparent_logos_stay_png_and_a_new_logo_replaces_the_old_files(app, admin_client):
    post_organisation(admin_client, samples.png(100, 50, (0, 0, 0, 0), mode="RGBA"))
    organisation = db.session.scalar(db.select(Organisation))
    first = organisation.logo
    assert first.endswith(".png")
    assert Image.open(io.BytesIO(media_bytes(first))).mode == "RGBA"
    url = f"/manage/organisations/{organisation.id}"
    data = {"csrf_token": csrf_token(admin_client, url), "name-en": "Zhasampaz", "kind": "consortium",
            "parent_id": "0", "logo": (io.BytesIO(samples.webp()), "new.webp")}
    assert admin_client.post(url, data=data, content_type="multipart/form-data").status_code == 302
    db.session.refresh(organisation)
    assert organisation.logo != first and organisation.logo.endswith(".jpg")
    files = media_files(app)
    assert first not in files and first.replace(".png", "-thumb.png") not in files
    assert organisation.logo in files


def test_a_photo_loses_its_exif_and_gps_and_is_resized(app, admin_client):
    original = samples.jpeg_with_exif(2400, 1200)
    assert b"SecretCam" in original and Image.open(io.BytesIO(original)).getexif()
    token = csrf_token(admin_client, "/manage/people/new")
    response = admin_client.post(
        "/manage/people/new",
        data={"csrf_token": token, "name-ru": "Айгуль", "organisation_id": "0",
              "photo": (io.BytesIO(original), "IMG_0001.JPG")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    person = db.session.scalar(db.select(Person))
    stored = media_bytes(person.photo)
    image = Image.open(io.BytesIO(stored))
    assert image.size == (DISPLAY_MAX, DISPLAY_MAX // 2)
    assert not image.getexif() and "exif" not in image.info
    assert b"SecretCam" not in stored and b"Model X-42" not in stored and b"backstage" not in stored
    thumb = Image.open(io.BytesIO(media_bytes(person.photo.replace(".jpg", "-thumb.jpg"))))
    assert max(thumb.size) == 400 and not thumb.getexif()


BAD_UPLOADS = [
    ("notes.txt", b"Just some text, not a picture.\n" * 20, "not a JPEG, PNG or WebP image"),
    ("photo.jpg", b"This is a text file with a .jpg name.\n", "not a JPEG, PNG or WebP image"),
    ("logo.svg", samples.SVG, "SVG images are not accepted"),
    ("logo.png", samples.SVG.replace(b"<?xml version=\"1.0\"?>", b""), "SVG images are not accepted"),
    ("bomb.png", samples.png_bomb(60_000, 60_000), "too many pixels"),
    ("big.png", samples.png_bomb(8_000, 8_000), "8000 × 8000 pixels"),
    ("broken.jpg", samples.truncated_jpeg(), "damaged"),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
     b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "not a JPEG, PNG or WebP image"),
    ("empty.png", b"", "The file is empty."),
    ("huge.png", samples.png() + b"\x00" * (11 * 1024 * 1024), "larger than 10 MB"),
]


@pytest.mark.parametrize(("filename", "content", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_uploads_are_refused_with_a_field_error_and_leave_nothing(app, admin_client, filename, content, message):
    before = media_files(app)
    response = post_organisation(admin_client, content, filename=filename)
    after = media_files(app)
    assert after == before
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html.replace("&#215;", "×")
    assert 'class="field has-error"' in html
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 0


def test_a_50_mb_upload_gets_a_friendly_413_and_nothing_is_saved(app, admin_client):
    before = media_files(app)
    response = post_organisation(admin_client, b"\xff\xd8\xff" + b"\x00" * (50 * 1024 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is too large" in html and "20 MB" in html and "Nothing was saved" in html
    assert media_files(app) == before
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 0


def test_the_413_page_is_translated(admin_client):
    response = admin_client.post(NEW_ORG + "?lang=ru", data=b"\x00" * (21 * 1024 * 1024), content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Файл слишком велик" in response.get_data(as_text=True)


def test_no_file_chosen_saves_the_organisation_without_a_logo(app, admin_client):
    response = post_organisation(admin_client, b"", filename="")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Organisation)).logo is None


def test_a_good_image_is_not_stored_when_another_field_is_wrong(app, admin_client):
    before = media_files(app)
    response = post_organisation(admin_client, samples.png(), name="")
    assert response.status_code == 200
    assert "Fill in at least one language." in response.get_data(as_text=True)
    assert media_files(app) == before


def test_a_failed_commit_removes_the_new_files(app, admin_client, monkeypatch):
    before = media_files(app)

    def failing_commit():
        raise RuntimeError("database went away")

    token = csrf_token(admin_client, NEW_ORG)
    monkeypatch.setattr(db.session, "commit", failing_commit)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = admin_client.post(
            NEW_ORG,
            data={"csrf_token": token, "name-en": "X", "kind": "enterprise", "parent_id": "0",
                  "logo": (io.BytesIO(samples.png()), "x.png")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
        monkeypatch.undo()
    assert response.status_code == 500
    assert media_files(app) == before


def test_the_service_refuses_without_writing(app):
    before = media_files(app)
    with pytest.raises(ImageRejected) as rejected:
        save_image(io.BytesIO(samples.png_bomb()), "logos")
    assert "pixels" in rejected.value.message
    assert media_files(app) == before
    stored = save_image(io.BytesIO(samples.png(50, 40)), "lookbooks")
    assert (stored.width, stored.height) == (50, 40)
    assert {stored.path, stored.thumb_path} <= media_files(app)


def test_media_urls_cannot_leave_the_media_folder(client):
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/%2e%2e/secret_key").status_code == 404
    assert client.get("/media/logos/missing.png").status_code == 404


def test_a_logo_can_be_removed(app, admin_client):
    assert "Remove the current logo" not in admin_client.get(NEW_ORG).get_data(as_text=True)
    post_organisation(admin_client, samples.png())
    organisation = db.session.scalar(db.select(Organisation))
    path = organisation.logo
    url = f"/manage/organisations/{organisation.id}"
    assert "Remove the current logo" in admin_client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(admin_client, url), "name-en": "Zhasampaz", "kind": "consortium", "parent_id": "0",
            "remove_logo": "y"}
    assert admin_client.post(url, data=data).status_code == 302
    db.session.refresh(organisation)
    assert organisation.logo is None
    assert path not in media_files(app) and path.replace(".jpg", "-thumb.jpg") not in media_files(app)
