"""E-mail leaves from the background, never from the request.

A change that reports to a participant adds its OutgoingMessage rows to the same transaction
(outbox.queue). When that transaction commits, a session hook enqueues one `send_message` task
per new row (forumapp.jobs: a Celery worker, or a thread of the web process without a broker),
which renders the attachments (the ticket PDF) and talks to SMTP, retried with backoff. A
hanging or failing SMTP server therefore never holds a request. `sweep_outbox` (beat, every
OUTBOX_SWEEP_SECONDS) sends whatever is still due, e.g. a message whose task was lost with its
broker: the outbox table stays the record of what must go out, and its lease makes sure that
two senders never send one message twice.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from forumapp.extensions import db
from forumapp.jobs import TryAgain, background_task, enqueue, periodic
from forumapp.registration import outbox
from forumapp.registration.models import OutgoingMessage
from forumapp.timeutil import utcnow

_NEW = "forumapp.outbox.new"
SWEEP_GRACE = timedelta(minutes=2)  # younger messages have their own task on the way


@event.listens_for(Session, "after_flush")
def _remember_new_messages(session, _flush_context):
    new = [obj.id for obj in session.new if isinstance(obj, OutgoingMessage)]
    if new:
        session.info.setdefault(_NEW, []).extend(new)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session):
    ids = session.info.pop(_NEW, [])
    if ids and outbox.smtp_configured():
        for message_id in ids:
            enqueue(send_message, message_id)


@event.listens_for(Session, "after_rollback")
def _forget_new_messages(session):
    session.info.pop(_NEW, None)


@background_task("forumapp.registration.send_message", max_retries=outbox.MAX_ATTEMPTS + 2)
def send_message(message_id: int) -> None:
    """Send one message if it is due and no other sender holds it (outbox.deliver_pending claims
    it with a lease); after a failed attempt, run again when its backoff is over."""
    result = outbox.deliver_pending(ids=[message_id])
    if result["retry"]:
        message = db.session.get(OutgoingMessage, message_id)
        raise TryAgain((message.next_attempt_at - utcnow()).total_seconds() + 1, message.last_error)


def send_soon(message: OutgoingMessage) -> None:
    """An organiser queued a message again: send it from the background."""
    if outbox.smtp_configured():
        enqueue(send_message, message.id)


@periodic("forumapp.registration.sweep_outbox", "OUTBOX_SWEEP_SECONDS", 60)
def sweep_outbox() -> int:
    """Enqueue every message that is due and older than its own task should take."""
    if not outbox.smtp_configured():
        return 0
    now = utcnow()
    due = list(db.session.scalars(
        db.select(OutgoingMessage.id).where(
            OutgoingMessage.status == "queued",
            OutgoingMessage.created_at < now - SWEEP_GRACE,
            db.or_(OutgoingMessage.next_attempt_at.is_(None), OutgoingMessage.next_attempt_at <= now),
        ).order_by(OutgoingMessage.id).limit(int(current_app.config.get("OUTBOX_SWEEP_LIMIT", 500)))))
    for message_id in due:
        enqueue(send_message, message_id)
    return len(due)
