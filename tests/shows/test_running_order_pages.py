"""Organisers build a show's running order through HTTP: times, call times, the overrun warning,
reordering with buttons, and the run-of-show PDF for backstage."""

from __future__ import annotations

import re

import pytest

from forumapp.extensions import db
from forumapp.shows.models import Collection, CollectionShow, ShowSegment
from tests.conftest import csrf_token, login, make_event, make_item, make_user
from tests.shows.helpers import make_brand, make_collection, make_person, pdf_text

BASE = "/manage/e/test-forum"


@pytest.fixture
def show_setup(admin_client):
    event = make_event()
    item = make_item(event, "Показ коллекций", start="10:00", end="10:20", kind="collection_show")
    designer = make_person({"kk": "Айгүл Темірбекова", "ru": "Айгуль Темирбекова", "en": "Aigul Temirbekova"})
    collections = [
        make_collection(event, make_brand("Kazlegprom"), {"kk": "Дала жолы", "en": "Steppe Road"}, looks=10,
                        designers=[designer]),
        make_collection(event, make_brand("MIMIORIKI"), {"en": "Little Nomads"}, looks=4),
        make_collection(event, make_brand("ZIBROO"), {"en": "Run Almaty"}, looks=20),
    ]
    return event, item, collections


def rows(html: str) -> list[dict]:
    """The running-order table as the organiser sees it."""
    found = []
    for match in re.finditer(r'<tr id="segment-(\d+)".*?</tr>', html, re.S):
        row = match.group(0)
        found.append({
            "id": int(match.group(1)),
            "starts": re.search(r'class="starts"[^>]*>([^<]+)<', row).group(1),
            "ends": re.search(r'class="ends"[^>]*>([^<]+)<', row).group(1),
            "call": re.search(r'class="call"[^>]*>([^<]+)<', row).group(1),
            "title": re.search(r"— ([^<]+)</a>", row).group(1),
        })
    return found


def add_segment(client, item, collection, minutes="", seconds="", music="", notes=""):
    page = f"{BASE}/shows/{item.id}"
    return client.post(f"{page}/segments", data={
        "csrf_token": csrf_token(client, page), "segment-collection_id": collection.id,
        "segment-minutes": minutes, "segment-seconds": seconds, "segment-music": music, "segment-notes-en": notes,
    })


def test_the_running_order_computes_start_and_call_times_and_warns_of_overrun(admin_client, show_setup):
    _event, item, (steppe, nomads, run) = show_setup
    page = f"{BASE}/shows/{item.id}"
    response = admin_client.post(f"{page}/settings", data={
        "csrf_token": csrf_token(admin_client, page), "settings-call_minutes": "20",
        "settings-seconds_per_look": "30", "settings-changeover_seconds": "60"})
    assert response.status_code == 302
    assert add_segment(admin_client, item, steppe, music="Dombra remix").status_code == 302  # 10 × 30 s = 5:00
    assert add_segment(admin_client, item, nomads, minutes="4", seconds="30").status_code == 302  # explicit 4:30
    html = admin_client.get(page).get_data(as_text=True)
    assert [r["starts"] for r in rows(html)] == ["10:00", "10:06"]
    assert 'id="fits"' in html and 'id="overrun"' not in html

    assert add_segment(admin_client, item, run, notes="Finale with all models").status_code == 302  # 20 × 30 s = 10:00
    html = admin_client.get(page).get_data(as_text=True)
    table = rows(html)
    assert [r["title"] for r in table] == ["Steppe Road", "Little Nomads", "Run Almaty"]
    assert [r["starts"] for r in table] == ["10:00", "10:06", "10:11"]
    assert [r["ends"] for r in table] == ["10:05", "10:10", "10:21"]
    assert [r["call"] for r in table] == ["09:40", "09:46", "09:51"]
    assert 'id="overrun"' in html
    assert "ends at 10:21, 1:30 after the end of the slot (10:20)" in html
    assert "10 looks × 30 s" in html


def test_times_are_in_the_event_time_zone(admin_client):
    event = make_event(timezone="Europe/Moscow")
    item = make_item(event, "Show", start="19:00", end="20:00", kind="collection_show")
    make_collection(event, make_brand(), {"en": "Evening"}, looks=3)
    page = f"{BASE}/shows/{item.id}"
    admin_client.get(page)
    add_segment(admin_client, item, db.session.scalar(db.select(Collection)))
    assert [r["starts"] for r in rows(admin_client.get(page).get_data(as_text=True))] == ["19:00"]


def test_organisers_reorder_segments_with_buttons_and_times_follow(admin_client, show_setup):
    _event, item, collections = show_setup
    for collection in collections:
        add_segment(admin_client, item, collection)
    page = f"{BASE}/shows/{item.id}"
    first, second, third = (r["id"] for r in rows(admin_client.get(page).get_data(as_text=True)))
    token = csrf_token(admin_client, page)
    assert admin_client.post(f"{page}/segments/{third}/move", data={"csrf_token": token, "direction": "up"}).status_code == 302
    table = rows(admin_client.get(page).get_data(as_text=True))
    assert [r["title"] for r in table] == ["Steppe Road", "Run Almaty", "Little Nomads"]
    assert [r["starts"] for r in table] == ["10:00", "10:06", "10:20"]  # 10 looks × 40 s, then 20 × 40 s
    # Moving the first one up changes nothing; a bad direction is refused.
    admin_client.post(f"{page}/segments/{first}/move", data={"csrf_token": token, "direction": "up"})
    assert rows(admin_client.get(page).get_data(as_text=True))[0]["id"] == first
    assert admin_client.post(f"{page}/segments/{first}/move", data={"csrf_token": token, "direction": "left"}).status_code == 400
    # The whole order at once (what drag and drop sends).
    response = admin_client.post(f"{page}/order", data={"csrf_token": token, "order": f"{second},{first},{third}"})
    assert response.status_code == 302
    assert [r["id"] for r in rows(admin_client.get(page).get_data(as_text=True))] == [second, first, third]
    assert admin_client.post(f"{page}/order", data={"csrf_token": token, "order": f"{second},{first}"}).status_code == 400
    # Removing a segment closes the gap.
    admin_client.post(f"{page}/segments/{first}/remove", data={"csrf_token": token})
    table = rows(admin_client.get(page).get_data(as_text=True))
    assert [r["id"] for r in table] == [second, third] and table[1]["starts"] == "10:02"
    assert sorted(s.position for s in db.session.scalars(db.select(ShowSegment))) == [0, 1]


def test_editing_a_segment_sets_an_explicit_duration(admin_client, show_setup):
    _event, item, collections = show_setup
    add_segment(admin_client, item, collections[0])
    add_segment(admin_client, item, collections[1])
    segment = db.session.scalar(db.select(ShowSegment).order_by(ShowSegment.position))
    url = f"{BASE}/shows/{item.id}/segments/{segment.id}"
    response = admin_client.post(url, data={"csrf_token": csrf_token(admin_client, url), "segment-collection_id": collections[0].id,
                                            "segment-minutes": "2", "segment-seconds": "15", "segment-music": "Jazz"})
    assert response.status_code == 302
    assert [r["starts"] for r in rows(admin_client.get(f"{BASE}/shows/{item.id}").get_data(as_text=True))] == ["10:00", "10:02"]


def test_bad_settings_and_segments_get_field_errors(admin_client, show_setup):
    _event, item, collections = show_setup
    page = f"{BASE}/shows/{item.id}"
    response = admin_client.post(f"{page}/settings", data={
        "csrf_token": csrf_token(admin_client, page), "settings-call_minutes": "-5", "settings-seconds_per_look": "0"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="error"') >= 2
    assert db.session.scalar(db.select(CollectionShow)).seconds_per_look == 40
    add_segment(admin_client, item, collections[0])
    again = add_segment(admin_client, item, collections[0])  # already in the running order
    assert again.status_code == 200 and "Not a valid choice" in again.get_data(as_text=True)
    bad_seconds = add_segment(admin_client, item, collections[1], minutes="1", seconds="75")
    assert bad_seconds.status_code == 200
    assert db.session.scalar(db.select(db.func.count(ShowSegment.id))) == 1


def test_only_collection_show_items_have_a_running_order(admin_client):
    event = make_event()
    plenary = make_item(event, "Plenary")
    assert admin_client.get(f"{BASE}/shows/{plenary.id}").status_code == 404


def test_the_run_of_show_pdf_lists_segments_times_calls_and_notes(admin_client, show_setup):
    _event, item, collections = show_setup
    for collection in collections:
        add_segment(admin_client, item, collection, music="Трек «Дала»", notes="Финалда дизайнер шығады")
    response = admin_client.get(f"{BASE}/shows/{item.id}/run-of-show.pdf?lang=kk")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Дала жолы", "Айгүл Темірбекова", "Kazlegprom", "Финалда дизайнер шығады", "Трек «Дала»",
                     "10:00", "09:30", "10:06", "09:36", "10:09"):
        assert expected in text, expected
    # 10 + 4 + 20 looks × 40 s = 22:40 in a 20-minute slot.
    assert "10:22" in text and "2:40" in text
    assert not re.search(r"\d\d:\d\d:\d\d", text)  # hours and minutes, no seconds
    assert "No length" not in text and "without a length" not in text


def test_the_run_of_show_pdf_flags_a_segment_without_a_length(admin_client, show_setup):
    _event, item, (steppe, nomads, run) = show_setup
    for collection in (steppe, nomads, run):
        add_segment(admin_client, item, collection)
    nomads.looks = 0  # and no duration of its own: nothing to time it by
    db.session.commit()
    text = pdf_text(admin_client.get(f"{BASE}/shows/{item.id}/run-of-show.pdf").data)
    assert "Segments without a length (no duration and no looks): 2." in text
    assert text.count("No length!") == 1
    html = admin_client.get(f"{BASE}/shows/{item.id}").get_data(as_text=True)
    assert "No duration: enter one or the number of looks." in html


def test_the_first_row_has_no_up_and_the_last_no_down_and_cells_are_labelled(admin_client, show_setup):
    _event, item, collections = show_setup
    for collection in collections:
        add_segment(admin_client, item, collection)
    html = admin_client.get(f"{BASE}/shows/{item.id}").get_data(as_text=True)
    segments = re.findall(r'<tr id="segment-\d+".*?</tr>', html, re.S)
    assert len(segments) == 3
    assert 'value="up"' not in segments[0] and 'value="down"' in segments[0]
    assert 'value="up"' in segments[1] and 'value="down"' in segments[1]
    assert 'value="up"' in segments[2] and 'value="down"' not in segments[2]
    assert "disabled" not in "".join(segments)
    for label in ("Starts", "Ends", "Backstage call", "Duration"):
        assert all(f'data-label="{label}"' in row for row in segments), label


def test_collections_are_created_with_designers_and_categories(admin_client):
    event = make_event()
    brand = make_brand("Aigul & Line")
    designer = make_person({"en": "Aigul Temirbekova"})
    url = f"{BASE}/collections"
    response = admin_client.post(url, data={
        "csrf_token": csrf_token(admin_client, url), "title-en": "Mountain Wind", "title-kk": "Тау желі",
        "brand_id": brand.id, "designer_ids": [designer.id], "season": "autumn_winter", "year": "2016",
        "categories": ["womens", "outerwear"], "looks": "12", "description-ru": "Пальто"})
    assert response.status_code == 302
    collection = db.session.scalar(db.select(Collection))
    assert collection.event_id == event.id and collection.title == {"en": "Mountain Wind", "kk": "Тау желі"}
    assert collection.categories == ["womens", "outerwear"] and collection.looks == 12
    assert [p.id for p in collection.designers] == [designer.id]
    listing = admin_client.get(url).get_data(as_text=True)
    assert "Mountain Wind" in listing and "Outerwear" in listing and "Aigul Temirbekova" in listing
    bad = admin_client.post(url, data={"csrf_token": csrf_token(admin_client, url), "title-en": "X", "brand_id": "0",
                                       "categories": ["haute_couture"], "looks": "-1"})
    assert bad.status_code == 200
    assert "Choose the brand." in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Collection.id))) == 1


def test_other_users_cannot_manage_shows(client, show_setup):
    _event, item, _collections = show_setup
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    make_user("stranger@example.kz")
    login(client, "stranger@example.kz")
    for path in (f"{BASE}/shows", f"{BASE}/shows/{item.id}", f"{BASE}/collections", f"{BASE}/shows/{item.id}/run-of-show.pdf"):
        assert client.get(path).status_code == 403, path


def test_removing_a_collection_takes_it_out_of_the_running_order(app, admin_client, show_setup):
    _event, item, (steppe, nomads, run) = show_setup
    for collection in (steppe, nomads, run):
        add_segment(admin_client, item, collection)
    url = f"{BASE}/collections/{nomads.id}"
    response = admin_client.post(f"{url}/remove", data={"csrf_token": csrf_token(admin_client, url)})
    assert response.status_code == 302
    table = rows(admin_client.get(f"{BASE}/shows/{item.id}").get_data(as_text=True))
    assert [r["title"] for r in table] == ["Steppe Road", "Run Almaty"]
    assert [r["starts"] for r in table] == ["10:00", "10:06"]
    assert db.session.get(Collection, nomads.id) is None
