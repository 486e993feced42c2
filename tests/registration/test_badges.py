"""Name badges printed in batches by organisers."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from forumapp.registration.badges import sort_key
from tests.conftest import make_event
from tests.registration.checkin_factories import make_category, make_registration, staff_client

A6 = (105, 148)
A4 = (210, 297)


def page_sizes_mm(data: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(page.mediabox.width) / 72 * 25.4), round(float(page.mediabox.height) / 72 * 25.4))
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def names_in_order(data: bytes, names: list[str]) -> list[str]:
    """The names as they appear, page after page, top to bottom."""
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    positions = sorted((text.index(name), name) for name in names)
    return [name for _, name in positions]


@pytest.fixture
def forum(app):
    event = make_event()
    press = make_category(event, en="Press", ru="Пресса", kk="Баспасөз", position=2)
    speaker = make_category(event, en="Speaker", ru="Спикер", kk="Спикер", position=1)
    people = [
        ("Ұлан Бекұлы", "Alpha Textiles", press),
        ("Әсел Нұрланқызы", "Жібек жолы", speaker),
        ("Бауыржан Омаров", "Capital Fashion", press),
        ("Aigerim Smagulova", "Ёлка LLP", None),
        ("Ержан Сатыбалдиев", "Қазақ маталары", speaker),
    ]
    for index, (name, organisation, category) in enumerate(people):
        make_registration(event, name, organisation=organisation, category=category, email=f"{index}@example.kz")
    make_registration(event, "Cancelled Person", status="cancelled", email="c@example.kz")
    make_registration(event, "Waiting Person", status="waiting", email="w@example.kz")
    return event


NAMES = ["Ұлан Бекұлы", "Әсел Нұрланқызы", "Бауыржан Омаров", "Aigerim Smagulova", "Ержан Сатыбалдиев"]


def test_a6_badges_one_per_page_in_kazakh_alphabetical_order(admin_client, forum):
    assert "Print badges" in admin_client.get("/manage/e/test-forum/badges").get_data(as_text=True)
    response = admin_client.get("/manage/e/test-forum/badges.pdf?layout=a6&order=name&status=confirmed")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert page_sizes_mm(response.data) == [A6] * 5
    # Latin first, then а ә б ... е ... ұ (Kazakh order, not code points, which put ә and ұ last)
    assert names_in_order(response.data, NAMES) == [
        "Aigerim Smagulova", "Әсел Нұрланқызы", "Бауыржан Омаров", "Ержан Сатыбалдиев", "Ұлан Бекұлы",
    ]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Cancelled Person" not in text and "Waiting Person" not in text
    assert "SPEAKER" in text and "PRESS" in text


def test_four_badges_per_a4_sheet(admin_client, forum):
    response = admin_client.get("/manage/e/test-forum/badges.pdf?layout=a4x4&order=name")
    assert page_sizes_mm(response.data) == [A4, A4]
    reader = PdfReader(io.BytesIO(response.data))
    first, second = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert sum(name in first for name in NAMES) == 4 and sum(name in second for name in NAMES) == 1


def test_order_by_organisation_and_by_category(admin_client, forum):
    by_org = admin_client.get("/manage/e/test-forum/badges.pdf?order=organisation").data
    assert names_in_order(by_org, NAMES) == [
        "Ұлан Бекұлы",  # Alpha Textiles
        "Бауыржан Омаров",  # Capital Fashion
        "Aigerim Smagulova",  # Ёлка
        "Әсел Нұрланқызы",  # Жібек жолы
        "Ержан Сатыбалдиев",  # Қазақ маталары
    ]
    by_category = admin_client.get("/manage/e/test-forum/badges.pdf?order=category").data
    assert names_in_order(by_category, NAMES) == [
        "Әсел Нұрланқызы", "Ержан Сатыбалдиев",  # Speaker (position 1)
        "Бауыржан Омаров", "Ұлан Бекұлы",  # Press (position 2)
        "Aigerim Smagulova",  # no category
    ]


def test_filters_by_category_and_status(admin_client, forum):
    from forumapp.extensions import db
    from forumapp.registration.models import ParticipantCategory

    press = db.session.scalar(db.select(ParticipantCategory).filter_by(position=2))
    data = admin_client.get(f"/manage/e/test-forum/badges.pdf?category={press.id}").data
    assert page_sizes_mm(data) == [A6, A6]
    waiting = admin_client.get("/manage/e/test-forum/badges.pdf?status=waiting").data
    assert "Waiting Person" in PdfReader(io.BytesIO(waiting)).pages[0].extract_text()
    empty = admin_client.get("/manage/e/test-forum/badges.pdf?status=checked_in", follow_redirects=True)
    assert "there are no badges to print" in empty.get_data(as_text=True)


def test_html_in_names_is_printed_as_text(admin_client):
    event = make_event()
    make_registration(event, "<b>Bold</b> Name", organisation="<img src=x> & Co")
    data = admin_client.get("/manage/e/test-forum/badges.pdf").data
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "<b>Bold</b> Name" in text and "<img src=x> & Co" in text


@pytest.mark.parametrize("query", ["layout=a5", "order=email", "status=all", "category=x"])
def test_unknown_choices_are_refused(admin_client, forum, query):
    assert admin_client.get(f"/manage/e/test-forum/badges.pdf?{query}").status_code == 400


def test_check_in_staff_cannot_print_badges(client, forum):
    staff_client(client, forum)
    assert client.get("/manage/e/test-forum/badges.pdf").status_code == 403


def test_kazakh_sort_key_follows_the_kazakh_alphabet():
    # а ә б ... қ ... ұ ү ... і ... я; Latin letters first
    assert sorted(["я", "ұ", "і", "ә", "қ", "а", "b", "Ә"], key=sort_key) == ["b", "а", "ә", "Ә", "қ", "ұ", "і", "я"]
