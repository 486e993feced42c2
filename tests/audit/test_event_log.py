"""The event log: every change of an event's data is recorded with who made it, secrets never;
organisers read it per event, filtered and a page at a time."""

from __future__ import annotations

import json

import sqlalchemy as sa

from forumapp.audit.models import AuditEntry
from forumapp.audit.services import PAGE_SIZE
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration.models import Registration
from tests.conftest import ON_POSTGRES, csrf_token, login
from tests.security.world import PASSWORD, build_world


def _entries(event_id: int, **where) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).filter_by(event_id=event_id, **where).order_by(AuditEntry.id)))


def _signed_in(app, world, actor="organiser"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, world.users[actor], PASSWORD).status_code == 302
    return client


def test_an_organisers_change_is_logged_with_who_and_which_fields(app):
    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    client = _signed_in(app, world)
    url = f"/manage/e/{world.slug}/items/{world.ids['plenary']}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "kind": "plenary", "title-ru": "Пленарное заседание",
        "title-en": "Plenary <script>", "day": "2036-06-09", "start": "10:00", "end": "12:00",
        "hall_id": "0", "track_id": "0", "status": "draft",
    })
    assert response.status_code == 302
    [entry] = _entries(event.id, entity_kind="item", action="changed")
    assert entry.actor_name == "organiser@test-forum.kz" and entry.entity_id == world.ids["plenary"]
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["status"] == ("published", "draft")
    assert changes["ends_at"] == ("2036-06-09 06:00 UTC", "2036-06-09 07:00 UTC")  # Almaty is UTC+5 since 2024
    assert changes["title"] == (None, None)  # organisers' text: the field is named, not copied
    assert "hall_id" in changes and "updated_at" not in changes and "sequence" not in changes


def test_a_public_registration_is_logged_without_an_actor_and_without_secrets(app):
    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    # The entry names the new row (its id came with the INSERT, before the flush hook ran).
    [entry] = _entries(event.id, entity_kind="registration", action="created", entity_id=world.ids["registration"])
    assert entry.actor_id is None and entry.actor_name == ""
    registration = db.session.get(Registration, world.ids["registration"])
    logged = json.dumps([e.changes for e in _entries(event.id)], ensure_ascii=False)
    assert registration.token not in logged and (registration.form_nonce or "§") not in logged
    assert registration.email not in logged  # personal data stays on the registrations page
    assert "confirmed" in logged  # while its status is shown
    certificate_codes = [c.get("new") for e in _entries(event.id, entity_kind="certificate") for c in e.changes]
    assert world.ids["code"] not in certificate_codes


def test_team_changes_and_deletions_are_logged(app):
    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    client = _signed_in(app, world)
    url = f"/manage/e/{world.slug}/team/{world.ids['role_id']}/remove"
    assert client.post(url, data={"csrf_token": csrf_token(client, f"/manage/e/{world.slug}/team")}).status_code == 302
    [entry] = _entries(event.id, entity_kind="team", action="deleted")
    assert entry.entity_label == "desk@test-forum.kz" and entry.actor_name == "organiser@test-forum.kz"


def test_the_log_page_filters_pages_and_escapes(app):
    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    item = db.session.get(ProgrammeItem, world.ids["plenary"])
    item.title = {"en": "<img src=x onerror=alert(1)>"}
    db.session.commit()
    for n in range(PAGE_SIZE + 5):  # enough changes for a second page
        item.capacity = n + 100
        db.session.commit()
    client = _signed_in(app, world)
    page = client.get(f"/manage/e/{world.slug}/log?kind=item").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Older" in page and "Registration:" not in page
    second = client.get(f"/manage/e/{world.slug}/log?kind=item&page=2").get_data(as_text=True)
    assert "Newer" in second and "capacity" in second
    registrations = client.get(f"/manage/e/{world.slug}/log?kind=registration").get_data(as_text=True)
    assert "Programme item:" not in registrations and "Registration:" in registrations
    public = [e for e in _entries(event.id, entity_kind="registration", action="created") if e.actor_id is None]
    assert public  # the world's participants registered themselves
    assert f"Entries: {len(public)}<" in client.get(
        f"/manage/e/{world.slug}/log?kind=registration&action=created&actor=-").get_data(as_text=True)
    # Hand-edited filters show the whole log instead of failing.
    for query in ("kind=nonsense", "page=abc", "page=-3", "page=99999999999", "actor=" + "x" * 1000):
        assert client.get(f"/manage/e/{world.slug}/log?{query}").status_code == 200
    assert client.get(f"/manage/e/{world.slug}/log?action=%00").status_code == 400  # the input guard
    # Check-in staff and other organisers cannot read it.
    assert _signed_in(app, world, "checkin_staff").get(f"/manage/e/{world.slug}/log").status_code == 403
    assert _signed_in(app, world, "other_organiser").get(f"/manage/e/{world.slug}/log").status_code == 403
    assert len(_entries(event.id, entity_kind="item", action="changed")) == PAGE_SIZE + 6


def test_deleting_an_event_takes_its_log_and_writes_none_for_its_rows(app):
    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    event_id = event.id
    before = len(_entries(event_id))
    db.session.delete(event)  # the ORM deletes its halls, tracks and items in the same flush
    db.session.commit()
    # PostgreSQL deletes the log with the event (ON DELETE CASCADE); SQLite, which enforces no
    # foreign keys here, keeps it, but nothing is written for the deleted rows either way.
    assert len(_entries(event_id)) == (0 if ON_POSTGRES else before)


def test_check_ins_and_their_undoing_are_logged_with_the_desk(app):
    from forumapp.registration.tickets import ticket_code

    world = build_world()
    event = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    registration = db.session.get(Registration, world.ids["registration"])
    registration.checked_in_at = None  # the world's participant came already: here they arrive
    db.session.commit()
    desk = _signed_in(app, world, "checkin_staff")
    token = csrf_token(desk, f"/manage/e/{world.slug}/checkin")
    answer = desk.post(f"/manage/e/{world.slug}/checkin", data={"code": ticket_code(registration)},
                       headers={"X-CSRFToken": token, "Accept": "application/json"}).get_json()
    assert answer["result"] == "checked_in"
    [entry] = [e for e in _entries(event.id, entity_kind="registration")
               if e.changes[0]["field"] == "checked_in_at" and e.actor_name]
    assert entry.actor_name == "desk@test-forum.kz" and entry.entity_label == "Әсел Нұрланқызы"
    assert entry.changes[0]["new"].endswith("UTC")
    organiser = _signed_in(app, world)
    url = f"/manage/e/{world.slug}/checkin/{registration.id}/undo"
    organiser.post(url, data={"csrf_token": csrf_token(organiser, f"/manage/e/{world.slug}/checkin")})
    undone = _entries(event.id, entity_kind="registration")[-1]
    assert undone.actor_name == "organiser@test-forum.kz" and undone.changes[0]["new"] is None
