"""E-mails to participants whose programme items moved or were cancelled in a release: one per
registration, in its language, listing only the items it is signed up for. Queued in the
release's transaction through the outbox; registration.sending sends them after commit."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event
from forumapp.registration import outbox
from forumapp.registration.models import ItemSignup, OutgoingMessage, Registration
from forumapp.releases.lines import change_line
from forumapp.releases.models import ScheduleRelease
from forumapp.releases.snapshot import Change, affecting_participants
from forumapp.text import printable
from forumapp.timeutil import utcnow
from forumapp.urls import public_url_for

KIND = "schedule_changed"
# A place or a place in the queue: both want to know their item moved.
SIGNED_UP = ("confirmed", "waiting")
ACTIVE_REGISTRATION = ("pending", "confirmed", "waiting")


def affected_signups(item_ids) -> dict[int, tuple[Registration, list[int]]]:
    """registration id -> (registration, the affected item ids it is signed up for)."""
    rows = db.session.execute(
        db.select(ItemSignup.item_id, Registration)
        .join(Registration, Registration.id == ItemSignup.registration_id)
        .where(
            ItemSignup.item_id.in_(list(item_ids)),
            ItemSignup.status.in_(SIGNED_UP),
            Registration.status.in_(ACTIVE_REGISTRATION),
        )
        .order_by(Registration.id, ItemSignup.item_id)
    ).all()
    found: dict[int, tuple[Registration, list[int]]] = {}
    for item_id, registration in rows:
        found.setdefault(registration.id, (registration, []))[1].append(item_id)
    return found


def queue_change_notices(event: Event, release: ScheduleRelease, changes: list[Change]) -> int:
    """Add the messages to the session; returns how many."""
    by_item = affecting_participants(changes)
    if not by_item:
        return 0
    count = 0
    for registration, item_ids in affected_signups(by_item).values():
        mine = [change for item_id in item_ids for change in by_item[item_id]]
        outbox.attach(registration, _message(event, release, registration, mine))
        count += 1
    return count


def _message(event: Event, release: ScheduleRelease, registration: Registration, changes: list[Change]) -> OutgoingMessage:
    lang = registration.locale
    with force_locale(lang):
        context = {
            "registration": registration,
            "release": release,
            "event_title": pick(event.title, lang, event.fallback_order),
            "lines": [change_line(event, change, lang) for change in changes],
            "changes_link": public_url_for("releases.changes", slug=event.slug),
            "link": outbox.private_link(registration),
        }
        # The text part is plain text (nothing to escape, controls removed); the HTML part is
        # autoescaped like every page: the changelog and titles are the organisers' words.
        body_text = printable(render_template("releases/email/changes.txt", **context))
        body_html = render_template("releases/email/changes.html", **context)
        subject = _("The programme of %(event)s has changed", event=context["event_title"])
    return OutgoingMessage(
        event_id=event.id,
        kind=KIND,
        to=registration.email,
        subject=printable(subject, multiline=False)[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=[],
        status="queued",
        attempts=0,
        last_error="",
        created_at=utcnow(),
    )
