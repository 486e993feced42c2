"""What a registration does while it holds the event's lock: everyone registering for the event
waits for it in turn, so a newcomer writes everything before the lock for the outcome the free
places predict, and under the lock only counts again and commits. When the count under the lock
says otherwise, the registration starts again and the outcome under the lock is what counts."""

from __future__ import annotations

import sqlalchemy as sa

from forumapp.audit.models import AuditEntry
from forumapp.extensions import db
from forumapp.registration import newcomers
from forumapp.registration.models import OutgoingMessage
from tests.conftest import ON_POSTGRES
from tests.registration.helpers import open_event, register, registrations


def test_when_the_last_place_goes_before_the_lock_the_email_says_waiting(client, monkeypatch):
    """The free place counted before the lock is taken by someone else before this registration
    gets the lock: it waits, and its e-mail (made for "confirmed" ahead of the lock) is made
    again for what happened."""
    open_event(capacity=1)
    assert register(client, email="first@example.kz").status_code == 302
    calls = _count_before_the_lock_reads(0, monkeypatch)
    assert register(client, name="Гүлмира Уақытова", email="gulmira@example.kz").status_code == 302
    assert calls == [1, 1]  # counted before the lock (reported as free), then again from the start
    first, second = registrations()  # what was written for "confirmed" is gone with its rollback
    assert (first.status, second.status) == ("confirmed", "waiting")
    message = db.session.scalars(sa.select(OutgoingMessage).filter_by(registration_id=second.id)).one()
    assert message.kind == "waiting" and "күту тізімі" in message.subject  # (the form asked for Kazakh)
    assert "Гүлмира Уақытова" in message.body_text
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMessage.id))) == 2
    created = db.session.scalars(sa.select(AuditEntry).filter_by(entity_kind="registration", entity_id=second.id))
    assert [(entry.action, _status_in(entry)) for entry in created] == [("created", "waiting")]


def test_when_a_place_is_freed_before_the_lock_the_waiting_newcomer_takes_it(client, monkeypatch):
    """The other way round: counted as full before the lock, a place is free under it."""
    open_event(capacity=2)
    assert register(client, email="first@example.kz").status_code == 302
    calls = _count_before_the_lock_reads(2, monkeypatch)
    assert register(client, name="Гүлмира Уақытова", email="gulmira@example.kz").status_code == 302
    assert calls == [1, 1]
    second = registrations()[-1]
    assert second.status == "confirmed" and second.waiting_since is None
    message = db.session.scalars(sa.select(OutgoingMessage).filter_by(registration_id=second.id)).one()
    assert message.kind == "confirmed"


def _count_before_the_lock_reads(taken_then: int, monkeypatch) -> list[int]:
    """The first look-up (before the lock) reports `taken_then` confirmed places, as if the
    places had changed right after it; returns the counts the look-ups really saw."""
    real_look_up = newcomers._look_up
    calls = []

    def outdated_first(*args, **kwargs):
        earlier, same_email, status, taken = real_look_up(*args, **kwargs)
        calls.append(taken)
        return earlier, same_email, status, taken_then if len(calls) == 1 else taken

    monkeypatch.setattr(newcomers, "_look_up", outdated_first)
    return calls


def _status_in(entry: AuditEntry) -> str | None:
    return next((change["new"] for change in entry.changes if change["field"] == "status"), None)


def test_under_the_lock_only_the_count_and_the_commit(client, app):
    """Statements of a newcomer's registration: the registration, its e-mail and its log entry
    are inserted before the lock; between taking the lock and the commit there is one count (on
    PostgreSQL the lock, the count and the commit are sent as one message). Anything more there (an insert, a query for webhooks, the e-mail's template reading the
    database) makes every registrant of the event wait longer."""
    open_event(capacity=5)
    assert register(client, email="first@example.kz").status_code == 302
    statements, sent = [], []

    def record(conn, cursor, statement, *args):
        words = statement.split()
        statements.append(f"{words[0]} {words[2] if words[0] == 'INSERT' else words[1]}")
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert register(client, name="Гүлмира Уақытова", email="gulmira@example.kz").status_code == 302
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    lock = statements.index("UPDATE registration_settings")
    before = statements[statements.index("INSERT registration"):lock]
    assert {"INSERT registration", "INSERT outgoing_message", "INSERT audit_entry"} <= set(before), before
    # (the redirect's page is another request: it starts with the event again)
    end = statements.index("SELECT event.id,", lock) if "SELECT event.id," in statements[lock:] else len(statements)
    if ON_POSTGRES:  # the lock, the count and the commit in one message (statements joined by ";")
        assert statements[lock:end] == ["UPDATE registration_settings"], statements
        assert sent[lock].endswith("; COMMIT") and "; DO $$ " in sent[lock]
    else:
        assert statements[lock:end] == ["UPDATE registration_settings", "SELECT count(registration.id)"], statements
    assert registrations()[-1].status == "confirmed"
