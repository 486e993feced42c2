"""The e-mail outbox: messages are rows queued in the transaction of the change they report, and
delivered after commit by `deliver_pending()`, from the background (forumapp.registration.sending:
a task per message after commit, and a periodic sweep), or by `flask --app wsgi outbox send`. Without FORUMAPP_SMTP_URL they stay in the outbox,
which organisers read at /manage/e/<slug>/outbox.

Attachments are described, not stored: {"filename", "mime", "kind", "ref"}. At send time the
renderer registered for `kind` turns the description into bytes, e.g. the ticket PDF:

    @register_attachment_renderer("ticket")
    def render_ticket(message, spec) -> bytes: ...
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.registration import details
from forumapp.registration.models import OutgoingMessage, Registration, RegistrationSettings
from forumapp.text import printable
from forumapp.timeutil import utcnow
from forumapp.urls import public_url_for

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 60  # 1, 2, 4, 8, 16 minutes between attempts
LEASE = timedelta(minutes=5)  # a message being sent is not picked up by another sender

MESSAGE_KINDS = (
    "confirmed", "waiting", "received", "promoted", "approved", "rejected", "cancelled", "item_promoted", "link",
    "waiting_moved", "category_review", "schedule_changed",
)

AttachmentRenderer = Callable[[OutgoingMessage, dict], bytes]
ATTACHMENT_RENDERERS: dict[str, AttachmentRenderer] = {}
# Callables (registration, kind) -> list of attachment specs, e.g. a ticket for "confirmed".
ATTACHMENT_PROVIDERS: list[Callable[[Registration, str], list[dict]]] = []


def register_attachment_renderer(kind: str):
    def decorator(function: AttachmentRenderer) -> AttachmentRenderer:
        ATTACHMENT_RENDERERS[kind] = function
        return function

    return decorator


def register_attachment_provider(function):
    ATTACHMENT_PROVIDERS.append(function)
    return function


def private_link(registration: Registration) -> str:
    """On the configured public address: never the Host of the request that caused the mail."""
    return public_url_for("registration.manage_registration", slug=registration.event.slug, token=registration.token)


# One translated subject per kind of message, built only for the kind being sent.
SUBJECTS = {
    "confirmed": lambda title: _("Your registration for %(event)s is confirmed", event=title),
    "waiting": lambda title: _("You are on the waiting list for %(event)s", event=title),
    "received": lambda title: _("We received your registration for %(event)s", event=title),
    "promoted": lambda title: _("A place is free: your registration for %(event)s is confirmed", event=title),
    "approved": lambda title: _("Your registration for %(event)s is approved", event=title),
    "rejected": lambda title: _("Your registration for %(event)s was not approved", event=title),
    "cancelled": lambda title: _("Your registration for %(event)s is cancelled", event=title),
    "item_promoted": lambda title: _("A place is free for you at %(event)s", event=title),
    "link": lambda title: _("Your link to the registration for %(event)s", event=title),
    "waiting_moved": lambda title: _("Your place on the waiting list for %(event)s has changed", event=title),
    "category_review": lambda title: _("Your registration for %(event)s is back under review", event=title),
}


def _registration_open(event_id: int) -> bool:
    """Whether the participant may still change (or, cancelled, renew) their registration: the
    e-mail offers only what the private page offers."""
    settings = db.session.scalar(db.select(RegistrationSettings).filter_by(event_id=event_id))
    return settings is None or settings.is_open()


def render(registration: Registration, kind: str, *, item=None, position: int | None = None,
           settings: RegistrationSettings | None = None) -> OutgoingMessage:
    """The message about `kind`, not yet in the session (the registration needs no id yet).
    `settings`: the event's registration settings, when the caller has them already."""
    event = registration.event
    with force_locale(registration.locale):
        title = pick(event.title, lang=registration.locale, fallback=event.fallback_order)
        item_title = pick(item.title, lang=registration.locale, fallback=event.fallback_order) if item else ""
        body = render_template(
            "registration/email/message.txt",
            kind=kind,
            registration=registration,
            event=event,
            event_title=title,
            item_title=item_title,
            position=position,
            link=private_link(registration),
            registration_open=settings.is_open() if settings is not None else _registration_open(event.id),
            venue=details.venue_text(event, registration.locale),
            map_url=details.map_url(event, registration.locale),
            my_items=details.my_items(registration) if registration.id is not None else [],
            calendar_url=details.calendar_url(registration),
            lang=registration.locale,
        )
        subject = SUBJECTS[kind](title)
    attachments = []
    for provider in ATTACHMENT_PROVIDERS:
        attachments.extend(provider(registration, kind) or [])
    return OutgoingMessage(
        event_id=event.id,
        kind=kind,
        to=registration.email,
        subject=printable(subject, multiline=False)[:300],  # a header: one line, no controls
        body_text=body,
        attachments=attachments,
        status="queued",
        attempts=0,
        last_error="",
        created_at=utcnow(),
    )


def attach(registration: Registration, message: OutgoingMessage) -> OutgoingMessage:
    message.registration = registration
    db.session.add(message)
    return message


def queue(registration: Registration, kind: str, *, item=None, position: int | None = None) -> OutgoingMessage:
    """Add a message to the session (the caller commits it with the change it reports)."""
    return attach(registration, render(registration, kind, item=item, position=position))


# ---- delivery ------------------------------------------------------------------------------


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def _claim(limit: int, ids=None) -> list[int]:
    """Mark due messages as being sent (a lease), so two senders never send one twice."""
    now = utcnow()
    query = (
        db.select(OutgoingMessage.id)
        .where(
            OutgoingMessage.status == "queued",
            db.or_(OutgoingMessage.next_attempt_at.is_(None), OutgoingMessage.next_attempt_at <= now),
        )
        .order_by(OutgoingMessage.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(OutgoingMessage.id.in_(ids))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = list(db.session.scalars(query))
    if claimed:
        db.session.execute(
            db.update(OutgoingMessage)
            .where(OutgoingMessage.id.in_(claimed))
            .values(next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return claimed


def deliver_pending(limit: int = 50, ids=None) -> dict[str, int]:
    """Send due messages through SMTP. Never called inside a transaction that changes places."""
    result = {"sent": 0, "failed": 0, "retry": 0}
    if not smtp_configured():
        return result
    for message_id in _claim(limit, ids):
        message = db.session.get(OutgoingMessage, message_id)
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            db.session.rollback()
            message = db.session.get(OutgoingMessage, message_id)
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                message.next_attempt_at = None
                result["failed"] += 1
            else:
                message.next_attempt_at = utcnow() + timedelta(seconds=BACKOFF_SECONDS * 2 ** (message.attempts - 1))
                result["retry"] += 1
        else:
            message.attempts += 1
            message.status = "sent"
            message.sent_at = utcnow()
            message.next_attempt_at = None
            message.last_error = ""
            result["sent"] += 1
        db.session.commit()
    return result


def retry(message: OutgoingMessage) -> None:
    """An organiser sends a failed message again."""
    message.status = "queued"
    message.next_attempt_at = None
    db.session.commit()


def build_email(message: OutgoingMessage) -> EmailMessage:
    sender = current_app.config.get("MAIL_FROM") or "forumapp@localhost"
    email = EmailMessage()
    email["From"] = formataddr(("forumapp", sender)) if "<" not in sender else sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or "localhost")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for spec in message.attachments or []:
        renderer = ATTACHMENT_RENDERERS.get(spec.get("kind"))
        if renderer is None:
            raise LookupError(f"no renderer for attachment kind {spec.get('kind')!r}")
        data = renderer(message, spec)
        maintype, _slash, subtype = (spec.get("mime") or "application/octet-stream").partition("/")
        email.add_attachment(data, maintype=maintype, subtype=subtype, filename=spec.get("filename") or "attachment")
    return email


def _send(message: OutgoingMessage) -> None:
    url = urlsplit(current_app.config["SMTP_URL"])
    options = parse_qs(url.query)
    host, port = url.hostname or "localhost", url.port
    if url.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=current_app.config.get("SMTP_TIMEOUT", 20))
    else:
        client = smtplib.SMTP(host, port or 25, timeout=current_app.config.get("SMTP_TIMEOUT", 20))
    with client:
        if url.scheme == "smtp+starttls" or options.get("starttls") == ["1"]:
            client.starttls()
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(build_email(message))
