"""The public sees a published show with its collections in order, each collection with its
lookbook, and downloads the audience leaflet; lookbook uploads are checked like every image."""

from __future__ import annotations

import io

from forumapp.extensions import db
from forumapp.shows.models import CollectionImage
from tests.conftest import csrf_token, make_event, make_item, media_bytes
from tests.media import samples
from tests.media.test_uploads import media_files
from tests.shows.helpers import make_brand, make_collection, make_person, make_show, pdf_text


def published_show(status="published", event_status="published", slug="test-forum"):
    event = make_event(slug=slug, status=event_status)
    item = make_item(event, "Показ коллекций", start="17:30", end="18:30", kind="collection_show", status=status)
    designer = make_person({"kk": "Сәуле Жанибекова", "ru": "Сауле Жанибекова", "en": "Saule Zhanibekova"})
    evening = make_collection(event, make_brand("Semiramide"), {"kk": "Алматы кеші", "ru": "Алматинский вечер", "en": "Almaty Evening"},
                              looks=14, designers=[designer], categories=["womens"],
                              description={"en": "Women's evening wear.", "kk": "Кешкі әйелдер киімі."})
    run = make_collection(event, make_brand("ZIBROO"), {"en": "Run Almaty"}, looks=10, categories=["sportswear"])
    make_show(item, [(run, None), (evening, None)], seconds_per_look=45)
    return event, item, evening, run


def test_the_public_show_page_lists_collections_in_running_order(client):
    event, item, evening, run = published_show()
    html = client.get(f"/e/{event.slug}/shows/{item.id}").get_data(as_text=True)
    assert html.index("Run Almaty") < html.index("Almaty Evening")
    assert "17:30" in html and "17:37" in html  # 10 looks × 45 s after 17:30
    assert "Saule Zhanibekova" in html and "Sportswear" in html
    assert f"/e/{event.slug}/collections/{evening.id}" in html
    item_page = client.get(f"/e/{event.slug}/items/{item.id}").get_data(as_text=True)
    assert f"/e/{event.slug}/shows/{item.id}" in item_page
    kazakh = client.get(f"/e/{event.slug}/shows/{item.id}?lang=kk").get_data(as_text=True)
    assert "Алматы кеші" in kazakh and "Сәуле Жанибекова" in kazakh


def test_drafts_are_not_public(client):
    event, item, evening, _run = published_show(status="draft")
    assert client.get(f"/e/{event.slug}/shows/{item.id}").status_code == 404
    assert client.get(f"/e/{event.slug}/shows/{item.id}/leaflet.pdf").status_code == 404
    event, item, evening, _run = published_show(event_status="draft", slug="draft-forum")
    assert client.get(f"/e/{event.slug}/shows/{item.id}").status_code == 404
    assert client.get(f"/e/{event.slug}/collections/{evening.id}").status_code == 404


def test_the_audience_leaflet_pdf_keeps_names_and_descriptions(client):
    event, item, _evening, _run = published_show()
    response = client.get(f"/e/{event.slug}/shows/{item.id}/leaflet.pdf?lang=kk")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Алматы кеші", "Сәуле Жанибекова", "Кешкі әйелдер киімі.", "Run Almaty", "ZIBROO"):
        assert expected in text, expected
    assert text.index("Run Almaty") < text.index("Алматы кеші")


def test_names_with_html_are_shown_as_text(client):
    event = make_event()
    item = make_item(event, "Show", kind="collection_show")
    bad = make_collection(event, make_brand("<b>Brand</b>"), {"en": "<script>alert(1)</script>"})
    make_show(item, [(bad, 300)])
    html = client.get(f"/e/{event.slug}/shows/{item.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = pdf_text(client.get(f"/e/{event.slug}/shows/{item.id}/leaflet.pdf").data)
    assert "<script>alert(1)</script>" in text and "<B>BRAND</B>" in text  # the brand line is in capitals


def test_lookbook_pictures_are_uploaded_shown_and_removed(app, admin_client):
    event, item, evening, _run = published_show()
    url = f"/manage/e/{event.slug}/collections/{evening.id}"
    response = admin_client.post(f"{url}/images", data={
        "csrf_token": csrf_token(admin_client, url), "image-caption-en": "Look 1",
        "image-image": (io.BytesIO(samples.jpeg_with_exif(1200, 1800)), "look1.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    picture = db.session.scalar(db.select(CollectionImage))
    assert (picture.width, picture.height) == (1067, 1600)
    assert b"SecretCam" not in media_bytes(picture.path)
    page = admin_client.get(f"/e/{event.slug}/collections/{evening.id}").get_data(as_text=True)
    assert "Look 1" in page and f"/media/{picture.path.replace('.jpg', '-thumb.jpg')}" in page
    assert "Saule Zhanibekova" in page, page
    assert "Categories: Women's wear" in page
    show_page = admin_client.get(f"/e/{event.slug}/shows/{item.id}").get_data(as_text=True)
    assert f"/media/{picture.path.replace('.jpg', '-thumb.jpg')}" in show_page
    # The leaflet embeds the picture (loaded through the safe fetcher: no refused URLs).
    leaflet = admin_client.get(f"/e/{event.slug}/shows/{item.id}/leaflet.pdf")
    assert b"/Subtype /Image" in leaflet.data or b"/Subtype/Image" in leaflet.data
    admin_client.post(f"{url}/images/{picture.id}/remove", data={"csrf_token": csrf_token(admin_client, url)})
    assert db.session.scalar(db.select(CollectionImage)) is None
    assert picture.path not in media_files(app)


def test_a_bad_lookbook_upload_is_a_field_error_and_leaves_nothing(app, admin_client):
    event, _item, evening, _run = published_show()
    url = f"/manage/e/{event.slug}/collections/{evening.id}"
    before = media_files(app)
    for name, content, message in (("bomb.png", samples.png_bomb(), "too many pixels"),
                                   ("look.svg", samples.SVG, "SVG images are not accepted"),
                                   ("look.jpg", b"not a picture", "not a JPEG, PNG or WebP image")):
        response = admin_client.post(f"{url}/images", data={
            "csrf_token": csrf_token(admin_client, url), "image-image": (io.BytesIO(content), name)},
            content_type="multipart/form-data")
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    missing = admin_client.post(f"{url}/images", data={"csrf_token": csrf_token(admin_client, url)})
    assert "Choose a picture." in missing.get_data(as_text=True)
    assert media_files(app) == before
    assert db.session.scalar(db.select(db.func.count(CollectionImage.id))) == 0
