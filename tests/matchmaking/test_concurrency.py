"""Acceptances after publishing, at the same moment, never double-book (PostgreSQL).

First the control: without the lock, and with every thread held between reading the schedule
and writing its cell, one participant accepting six requests at once gets two meetings at the
same time (or the database refuses a table used twice). Then with the lock: six meetings in six
different slots."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from forumapp.extensions import db
from forumapp.matchmaking import meetings, scheduling
from forumapp.matchmaking.models import MatchSession, Meeting, MeetingRequest, Profile, ProfileEntry
from tests.conftest import ON_POSTGRES
from tests.matchmaking.helpers import forum, participant

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks and real concurrency need PostgreSQL")
N = 6


def setup():
    event = forum()
    host = participant(event, "Host", "host@example.kz")
    profiles = []
    for i, registration in enumerate([host] + [participant(event, f"Guest {i}", f"g{i}@example.kz") for i in range(N + 1)]):
        profile = Profile(event_id=event.id, registration_id=registration.id, organisation=f"Org {i}",
                          entries=[ProfileEntry(direction="offer", category="export", text="x")])
        db.session.add(profile)
        profiles.append(profile)
    db.session.flush()
    first = db.session.scalar(db.select(db.func.min(MatchSession.starts_at)))  # (none yet)
    assert first is None
    start = host.created_at.replace(hour=4, minute=0, second=0, microsecond=0)
    db.session.add(MatchSession(event_id=event.id, name={"en": "B2B"}, starts_at=start,
                                ends_at=start + timedelta(minutes=20 * 8), slot_minutes=20, tables=8))
    # One published meeting between two guests, so the schedule counts as published.
    published = MeetingRequest(event_id=event.id, requester=profiles[-1], recipient=profiles[-2], status="accepted")
    db.session.add(published)
    db.session.flush()
    db.session.add(Meeting(event_id=event.id, request=published, session_id=db.session.scalar(
        db.select(MatchSession.id)), starts_at=start + timedelta(minutes=140), table_number=8,
        published_at=host.created_at))
    pending = [MeetingRequest(event_id=event.id, requester=guest, recipient=profiles[0], status="pending")
               for guest in profiles[1:N + 1]]
    db.session.add_all(pending)
    db.session.commit()
    return profiles[0].id, [r.id for r in pending]


def accept_all(app, host_id, request_ids):
    start = threading.Barrier(len(request_ids))

    def one(request_id):
        with app.app_context():
            try:
                host = db.session.get(Profile, host_id)
                request = db.session.get(MeetingRequest, request_id)
                db.session.commit()
                start.wait(timeout=30)
                meetings.answer(host, request, True)
                return "ok"
            except Exception as exc:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(request_ids)) as pool:
        return list(pool.map(one, request_ids))


def host_slots(host_id):
    db.session.expire_all()
    return [m.starts_at for m in db.session.scalars(db.select(Meeting).join(MeetingRequest).where(
        MeetingRequest.recipient_id == host_id, Meeting.table_number.is_not(None)))]


def test_control_without_the_lock_a_participant_is_double_booked(app, monkeypatch):
    host_id, request_ids = setup()
    app.config["MATCHMAKING_LOCK"] = False
    racing = threading.Barrier(N)
    original = scheduling.place_one

    def slow(problem, meeting_id):
        cell = original(problem, meeting_id)
        racing.wait(timeout=30)  # every thread has read the schedule before any writes
        return cell

    monkeypatch.setattr(scheduling, "place_one", slow)
    try:
        results = accept_all(app, host_id, request_ids)
    finally:
        app.config["MATCHMAKING_LOCK"] = True
    slots = host_slots(host_id)
    refused = [r for r in results if r != "ok"]
    assert refused or len(set(slots)) < len(slots), (results, slots)


def test_with_the_lock_every_acceptance_gets_its_own_slot(app):
    host_id, request_ids = setup()
    results = accept_all(app, host_id, request_ids)
    assert results == ["ok"] * N
    slots = host_slots(host_id)
    assert len(slots) == N and len(set(slots)) == N
