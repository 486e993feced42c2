"""Scans a door queued while offline reach the server late, perhaps twice: each is recorded at
the time it was made, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from forumapp.extensions import db
from forumapp.registration import checkin as service
from forumapp.registration.models import Registration
from forumapp.registration.tickets import ticket_code
from forumapp.timeutil import utcnow
from tests.conftest import make_event
from tests.registration.checkin_factories import make_registration, page_csrf, staff_client


@pytest.fixture
def event(app):
    return make_event()


def _epoch_ms(moment: datetime) -> str:
    return str(int(moment.replace(tzinfo=UTC).timestamp() * 1000))


def _replay(client, slug, fields: dict, scanned: datetime):
    token = page_csrf(client, f"/manage/e/{slug}/checkin")
    return client.post(f"/manage/e/{slug}/checkin", data={**fields, "scanned_at": _epoch_ms(scanned)},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_a_replayed_scan_is_recorded_at_its_time_and_only_once(client, event):
    door = staff_client(client, event)
    asel = make_registration(event)
    scanned = utcnow().replace(microsecond=0) - timedelta(minutes=7)
    first = _replay(door, event.slug, {"code": ticket_code(asel)}, scanned).get_json()
    assert first["result"] == "checked_in"
    db.session.expire_all()
    assert db.session.get(Registration, asel.id).checked_in_at == scanned
    again = _replay(door, event.slug, {"code": ticket_code(asel)}, scanned + timedelta(seconds=30)).get_json()
    assert again["result"] == "already_checked_in" and again["ok"]
    assert again["counts"]["arrived"] == 1
    db.session.expire_all()
    assert db.session.get(Registration, asel.id).checked_in_at == scanned  # unchanged by the replay


def test_a_replayed_pick_from_the_search_works_the_same(client, event):
    door = staff_client(client, event)
    asel = make_registration(event)
    scanned = utcnow().replace(microsecond=0) - timedelta(minutes=2)
    assert _replay(door, event.slug, {"registration_id": asel.id}, scanned).get_json()["result"] == "checked_in"
    assert _replay(door, event.slug, {"registration_id": asel.id}, scanned).get_json()["result"] == \
        "already_checked_in"


def test_the_scan_time_is_kept_within_the_replay_window():
    now = datetime(2026, 6, 9, 12, 0)
    assert service.scanned_at(None, now) is None
    assert service.scanned_at("", now) is None
    assert service.scanned_at("soon", now) is None
    assert service.scanned_at("9" * 40, now) is None
    assert service.scanned_at(_epoch_ms(now - timedelta(minutes=5)), now) == now - timedelta(minutes=5)
    assert service.scanned_at(_epoch_ms(now + timedelta(days=3)), now) == now  # never in the future
    assert service.scanned_at(_epoch_ms(now - timedelta(days=3)), now) == now - service.REPLAY_WINDOW
    assert service.scanned_at("-5", now) == now - service.REPLAY_WINDOW


def test_without_javascript_the_search_stays_after_a_pick_and_cancelled_people_have_no_button(client, event):
    door = staff_client(client, event)
    asel = make_registration(event, "Әсел Нұрланқызы", email="asel@example.kz")
    make_registration(event, "Әсел Бекова", status="cancelled", email="bekova@example.kz")
    page = door.get(f"/manage/e/{event.slug}/checkin?q=Әсел").get_data(as_text=True)
    assert page.count('name="registration_id"') == 1  # only the confirmed one can be checked in
    assert "Cancelled: do not admit" in page
    token = page_csrf(door, f"/manage/e/{event.slug}/checkin")
    response = door.post(f"/manage/e/{event.slug}/checkin",
                         data={"csrf_token": token, "registration_id": asel.id, "q": "Әсел"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Checked in" in html
    assert "Әсел Бекова" in html and 'value="Әсел"' in html  # the results and the query are still there
