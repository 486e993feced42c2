"""The four feeds as their consumers read them: schedule importers, calendar programs and
schedule apps, kept right when the programme changes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from icalendar import Calendar

from forumapp.extensions import db
from tests.conftest import csrf_token

# The children of a frab <event>, in the order of schedule.xml.xsd.
FRAB_EVENT_ELEMENTS = [
    "room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug", "track", "logo",
    "persons", "language", "description", "recording", "links", "attachments", "url",
]


def _feeds(client, lang="ru"):
    ics = Calendar.from_ical(client.get(f"/e/test-forum/programme.ics?lang={lang}").data)
    data = client.get(f"/e/test-forum/schedule.json?lang={lang}").get_json()
    xml = ET.fromstring(client.get(f"/e/test-forum/schedule.xml?lang={lang}").data)
    return ics, data, xml


def _json_talks(data):
    conference = data["schedule"]["conference"]
    return [talk for day in conference["days"] for room in day["rooms"].values() for talk in room]


def test_every_feed_says_the_same_as_the_database_for_every_item(client, small_forum):
    """Start, end, title, room and people of each item, across ICS, JSON, XML and the database."""
    ics, data, xml = _feeds(client)
    vevents = {str(e["URL"]).rsplit("/", 1)[1]: e for e in ics.walk("VEVENT")}
    talks = {str(t["id"]): t for t in _json_talks(data)}
    frab = {e.get("id"): e for e in xml.iter("event")}
    items = small_forum["items"]
    assert set(vevents) == set(talks) == set(frab) == {str(i.id) for i in items}
    for item in items:
        key = str(item.id)
        start, end = item.local_start, item.local_end
        title = item.title.get("ru")
        room = item.hall.name["ru"]
        people = sorted(p.person.name.get("ru") or p.person.name["kk"] for p in item.people)

        vevent = vevents[key]
        assert vevent["DTSTART"].dt == start and vevent["DTEND"].dt == end
        assert str(vevent["SUMMARY"]) == title and str(vevent["LOCATION"]) == room
        assert all(name in str(vevent.get("DESCRIPTION", "")) for name in people)

        talk = talks[key]
        assert talk["date"] == start.isoformat() and talk["end"] == end.isoformat()
        assert talk["duration"] == f"{(end - start).seconds // 3600:02d}:{(end - start).seconds // 60 % 60:02d}"
        assert talk["title"] == title and talk["room"] == room
        assert sorted(p["name"] for p in talk["persons"]) == people

        event = frab[key]
        assert event.findtext("date") == start.isoformat() and event.findtext("start") == start.strftime("%H:%M")
        assert event.findtext("duration") == talk["duration"]
        assert event.findtext("title") == title and event.findtext("room") == room
        assert sorted(p.text for p in event.find("persons")) == people


def test_frab_events_carry_every_element_importers_read_in_schema_order(client, small_forum):
    xml = ET.fromstring(client.get("/e/test-forum/schedule.xml?lang=kk").data)
    events = list(xml.iter("event"))
    assert len(events) == 3
    for event in events:
        assert [child.tag for child in event] == FRAB_EVENT_ELEMENTS
        # pretalx's frab importer reads these children without checking that they exist.
        assert event.find("recording").findtext("optout") in ("true", "false")
        assert event.find("recording").find("license") is not None
        assert event.find("links") is not None and event.find("attachments") is not None


def test_version_changes_when_an_item_is_moved_or_renamed(client, small_forum):
    def versions():
        data = client.get("/e/test-forum/schedule.json").get_json()
        xml = ET.fromstring(client.get("/e/test-forum/schedule.xml").data)
        return data["schedule"]["version"], xml.findtext("version")

    before = versions()
    assert before[0] == before[1]
    assert versions() == before, "the same programme keeps its version"
    item = small_forum["items"][0]
    item.starts_at += timedelta(hours=2)
    item.ends_at += timedelta(hours=2)
    db.session.commit()
    moved = versions()
    assert moved[0] != before[0] and moved[0] == moved[1]
    item.title = {**item.title, "ru": "Открытие (новое название)"}
    db.session.commit()
    assert versions()[0] not in (before[0], moved[0])


def test_uids_differ_between_installations_and_stay_for_an_item(client, small_forum, tmp_path):
    from forumapp import create_app
    from tests.conftest import make_event, make_item

    first = {str(e["UID"]) for e in Calendar.from_ical(client.get("/e/test-forum/programme.ics").data).walk("VEVENT")}
    again = {str(e["UID"]) for e in Calendar.from_ical(client.get("/e/test-forum/programme.ics").data).walk("VEVENT")}
    assert first == again

    # A second forumapp server with the same event and items (the same database ids).
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite3'}",
                        "STORAGE_DIR": str(tmp_path), "RATELIMIT_ENABLED": False, "SERVER_NAME": "other.test"})
    with other.app_context():
        db.create_all()
        event = make_event()
        for item in sorted(small_forum["items"], key=lambda i: i.id):
            make_item(event, item.title["ru"], kind=item.kind)
        response = other.test_client().get("/e/test-forum/programme.ics")
        theirs = {str(e["UID"]) for e in Calendar.from_ical(response.data).walk("VEVENT")}
        guids = {t["guid"] for t in _json_talks(other.test_client().get("/e/test-forum/schedule.json").get_json())}
        db.session.remove()
        db.engine.dispose()
    assert len(theirs) == 3 and not theirs & first
    ours = {t["guid"] for t in _json_talks(client.get("/e/test-forum/schedule.json").get_json())}
    assert not guids & ours


def test_an_item_cancelled_after_publication_stays_in_the_feeds_marked_cancelled(client, small_forum):
    item = small_forum["items"][1]
    ics = Calendar.from_ical(client.get("/e/test-forum/programme.ics").data)
    before = next(e for e in ics.walk("VEVENT") if str(e["URL"]).endswith(f"/{item.id}"))
    assert str(before["STATUS"]) == "CONFIRMED"

    item.status = "cancelled"
    db.session.commit()
    ics, data, xml = _feeds(client)
    after = next(e for e in ics.walk("VEVENT") if str(e["URL"]).endswith(f"/{item.id}"))
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]), "calendars apply a change only with a higher SEQUENCE"
    talk = next(t for t in _json_talks(data) if t["id"] == item.id)
    assert talk["title"].startswith("Отменено") or "Cancel" in talk["title"] or "тмен" in talk["title"]
    frab_title = next(e for e in xml.iter("event") if e.get("id") == str(item.id)).findtext("title")
    assert frab_title == talk["title"]
    # Not on the public programme page any more.
    assert "Круглый стол" not in client.get("/e/test-forum/programme?lang=ru").get_data(as_text=True)


def test_a_draft_that_is_cancelled_never_appears(client, small_forum):
    draft = small_forum["draft"]
    draft.status = "cancelled"
    db.session.commit()
    ics, data, xml = _feeds(client)
    assert draft.id not in {t["id"] for t in _json_talks(data)}
    assert "Секретный черновик" not in client.get("/e/test-forum/programme.ics").get_data(as_text=True)


def test_every_change_a_calendar_shows_raises_the_sequence(client, small_forum):
    item = small_forum["items"][0]
    sequences = [item.sequence]
    item.ends_at += timedelta(minutes=15)
    db.session.commit()
    sequences.append(item.sequence)
    item.hall = small_forum["items"][1].hall
    db.session.commit()
    sequences.append(item.sequence)
    item.capacity = 10  # not shown in a calendar
    db.session.commit()
    sequences.append(item.sequence)
    assert sequences[0] < sequences[1] < sequences[2] == sequences[3]
    vevent = next(
        e for e in Calendar.from_ical(client.get("/e/test-forum/programme.ics").data).walk("VEVENT")
        if str(e["URL"]).endswith(f"/{item.id}")
    )
    assert int(vevent["SEQUENCE"]) == item.sequence


def test_calendar_content_type_and_time_zone_are_what_calendar_programs_accept(client, small_forum):
    response = client.get("/e/test-forum/programme.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    timezone = calendar.walk("VTIMEZONE")[0]
    assert "COMMENT" not in timezone, "iTIP forbids COMMENT in VTIMEZONE"


def test_event_dates_cannot_be_shortened_under_its_items(admin_client, small_forum):
    event = small_forum["event"]
    path = f"/manage/e/{event.slug}/edit"
    form = {
        "csrf_token": csrf_token(admin_client, path),
        "title-ru": "Форум", "slug": event.slug, "starts_on": "2016-06-09", "ends_on": "2016-06-09",
        "timezone": "Asia/Almaty", "status": "published", "default_locale": "ru", "locale_fallback": "kk,ru,en",
    }
    response = admin_client.post(path, data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "outside these dates" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; кооперация (10.06.2016)" in page, "names the item, as text"
    db.session.expire_all()
    assert event.ends_on.isoformat() == "2016-06-10"
    form["ends_on"] = "2016-06-11"
    assert admin_client.post(path, data=form).status_code == 302
    assert db.session.get(type(event), event.id).ends_on.isoformat() == "2016-06-11"


def test_the_programme_page_links_every_feed(client, small_forum):
    page = client.get("/e/test-forum/programme").get_data(as_text=True)
    for suffix in ("programme.pdf", "programme.ics", "schedule.json", "schedule.xml"):
        assert f"/e/test-forum/{suffix}" in page

