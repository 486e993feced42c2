"""The same pages in Kazakh, Russian and English: language choice, fallbacks, local formats, PDFs."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from forumapp.extensions import db
from tests.conftest import make_event, make_item

PROGRAMME = {"kk": "Бағдарлама", "ru": "Программа", "en": "Programme"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_event_home_in_each_language(client, lang):
    make_event(starts_on=date(2016, 11, 22), ends_on=date(2016, 11, 22))
    page = client.get(f"/e/test-forum/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert PROGRAMME[lang] in page
    title = {"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности", "en": "Light Industry Forum"}
    assert title[lang] in page
    # Dates the way each language writes them, from Babel's locale data.
    day = {"kk": "22 қараша 2016", "ru": "22 ноября 2016", "en": "22 November 2016"}
    assert day[lang] in page


def test_the_url_is_the_same_in_every_language_and_the_switcher_keeps_the_page(client):
    make_event()
    page = client.get("/e/test-forum/programme?lang=ru&kind=plenary").get_data(as_text=True)
    assert 'href="/e/test-forum/programme?lang=kk&amp;kind=plenary"' in page.replace("kind=plenary&amp;lang=kk", "lang=kk&amp;kind=plenary")
    assert 'hreflang="en"' in page


def test_language_order_query_then_cookie_then_browser_then_event(client):
    make_event(default_locale="kk")
    # Nothing said: the event's default language.
    page = client.get("/e/test-forum/", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert '<html lang="kk">' in page
    # The browser's preference beats the event default.
    page = client.get("/e/test-forum/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    # An explicit choice beats the browser and is remembered in a cookie.
    response = client.get("/e/test-forum/?lang=ru", headers={"Accept-Language": "en"})
    assert "lang=ru" in response.headers["Set-Cookie"]
    page = client.get("/e/test-forum/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    # An unknown language in the query is ignored, not an error.
    assert client.get("/e/test-forum/?lang=xx").status_code == 200


def test_form_errors_are_translated(client):
    response = client.post("/login?lang=kk", data={"email": "x", "password": "y"})
    assert response.status_code == 400
    assert "Пішіннің мерзімі өтті. Қайта жіберіңіз." in response.get_data(as_text=True)
    page = client.get("/no-such-page?lang=ru").get_data(as_text=True)
    assert "Такой страницы нет или она не опубликована." in page


def test_content_falls_back_in_the_events_order_and_never_shows_an_empty_title(client):
    event = make_event(locale_fallback="ru,en,kk")
    make_item(event, "Только по-русски")
    english_only = make_item(event, "x", start="12:00", end="13:00")
    english_only.title = {"en": "English only", "kk": "  "}
    db.session.commit()
    page = client.get("/e/test-forum/programme?lang=kk").get_data(as_text=True)
    assert "Только по-русски" in page
    assert "English only" in page


def test_tenge_is_formatted_per_locale(app):
    from flask_babel import force_locale

    from forumapp.templating import tenge

    with app.test_request_context("/"):
        with force_locale("ru"):
            assert tenge(150000) == "150\u00a0000\u00a0₸"
        with force_locale("kk"):
            assert tenge(150000) == "150\u00a0000\u00a0₸"
        with force_locale("en"):
            assert tenge(150000) == "150,000\u00a0₸"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ["Бағдарлама", "Баяндамашылар көрсеткіші", "Гүлмира Уақытова", "«Жасампаз» дөңгелек үстелі", "Алматы"]),
        ("ru", ["Программа", "Указатель выступающих", "Гульмира Уахитова", "Круглый стол «Жасампаз»"]),
    ],
)
def test_programme_pdf_in_kazakh_and_russian(client, small_forum, lang, words):
    response = client.get(f"/e/test-forum/programme.pdf?lang={lang}")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for word in words:
        assert word in text
