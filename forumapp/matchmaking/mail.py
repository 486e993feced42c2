"""E-mails about requests and meetings, in the recipient's language, through the registration's
outbox: queued in the transaction of the change, sent after commit."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from forumapp.i18n import pick
from forumapp.matchmaking.models import Meeting, MeetingRequest, Profile
from forumapp.registration import outbox
from forumapp.registration.models import OutgoingMessage
from forumapp.text import printable
from forumapp.timeutil import utcnow
from forumapp.urls import public_url_for

SUBJECTS = {
    "request_received": lambda event, other: _("%(organisation)s asks to meet you at %(event)s",
                                               organisation=other, event=event),
    "request_accepted": lambda event, other: _("%(organisation)s accepted your meeting request at %(event)s",
                                               organisation=other, event=event),
    "request_declined": lambda event, other: _("%(organisation)s declined your meeting request at %(event)s",
                                               organisation=other, event=event),
    "schedule": lambda event, other: _("Your B2B meeting schedule for %(event)s", event=event),
    "meeting_placed": lambda event, other: _("Your meeting with %(organisation)s at %(event)s is scheduled",
                                             organisation=other, event=event),
    "meeting_cancelled": lambda event, other: _("Your meeting with %(organisation)s at %(event)s is cancelled",
                                                organisation=other, event=event),
    "meeting_moved": lambda event, other: _("Your meeting with %(organisation)s at %(event)s has moved",
                                            organisation=other, event=event),
}


def link(profile: Profile) -> str:
    registration = profile.registration
    return public_url_for("matchmaking.home", slug=registration.event.slug, token=registration.token)


def queue(profile: Profile, kind: str, *, request: MeetingRequest | None = None,
          meeting: Meeting | None = None) -> OutgoingMessage:
    """Queue the message to `profile`'s participant, written in their language."""
    registration = profile.registration
    event = registration.event
    request = request or (meeting.request if meeting else None)
    other = None
    if request is not None:
        other = request.recipient if request.requester_id == profile.id else request.requester
    with force_locale(registration.locale):
        title = pick(event.title, lang=registration.locale, fallback=event.fallback_order)
        when = event.local(meeting.starts_at).strftime("%d.%m.%Y %H:%M") if meeting and meeting.starts_at else ""
        body = render_template(
            "matchmaking/email/message.txt", kind=kind, registration=registration, event_title=title,
            other=other, request=request, meeting=meeting, when=when, link=link(profile),
        )
        subject = SUBJECTS[kind](title, other.organisation if other else "")
    message = OutgoingMessage(
        event_id=event.id, kind=f"b2b_{kind}"[:30], to=registration.email,
        subject=printable(subject, multiline=False)[:300], body_text=body, attachments=[], status="queued",
        attempts=0, last_error="", created_at=utcnow(),
    )
    return outbox.attach(registration, message)
