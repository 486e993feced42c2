"""Tickets: the signed code in a ticket's QR code, the QR image, and the ticket PDF.

A ticket code names the event and the registration and is signed with the app's secret key
(HMAC, itsdangerous), so it cannot be guessed, altered or made with another key. It is not the
participant's private-link token: a ticket shown at the door or photographed by a neighbour
gives no access to the participant's page. It is short enough for a small QR code and for a
USB scanner to type: "T1.<event id>.<registration id>.<signature>".
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import current_app, render_template
from itsdangerous import BadSignature, Signer

from forumapp.documents.render import RenderedPDF, html_to_pdf
from forumapp.programme.models import Event
from forumapp.registration.models import Registration

PREFIX = "T1"
SALT = "forumapp.ticket.v1"


@dataclass(frozen=True)
class TicketCode:
    event_id: int
    registration_id: int


class InvalidTicket(ValueError):
    """Not a ticket of this app: malformed, altered, or signed with another key."""


def _signer(secret_key: str | bytes | None = None) -> Signer:
    return Signer(secret_key or current_app.config["SECRET_KEY"], salt=SALT)


def ticket_code(registration: Registration, *, secret_key: str | bytes | None = None) -> str:
    value = f"{PREFIX}.{registration.event_id}.{registration.id}"
    return _signer(secret_key).sign(value).decode()


def read_ticket_code(code: str, *, secret_key: str | bytes | None = None) -> TicketCode:
    """The event and registration a ticket code names; InvalidTicket if it is not genuine."""
    code = (code or "").strip()
    if not code or len(code) > 200:
        raise InvalidTicket("empty or too long")
    try:
        value = _signer(secret_key).unsign(code.encode("ascii", "strict")).decode()
    except (BadSignature, UnicodeError) as error:
        raise InvalidTicket("bad signature") from error
    parts = value.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit() or not parts[2].isdigit():
        raise InvalidTicket("unknown format")
    return TicketCode(int(parts[1]), int(parts[2]))


def qr_data_uri(code: str, *, scale: int = 6, mask: int | None = None) -> str:
    """A PNG of the QR code as a data: URI (the PDF fetcher allows data: and nothing remote).

    Choosing the best of the eight masks costs ~15 ms per code; batches (badges) pass a fixed
    mask, which any decoder reads just as well."""
    return segno.make(code, error="m", micro=False, mask=mask).png_data_uri(scale=scale, border=2)


def ticket_context(registration: Registration) -> dict:
    code = ticket_code(registration)
    return {"registration": registration, "event": registration.event, "code": code, "qr": qr_data_uri(code)}


def ticket_pdf(registration: Registration) -> RenderedPDF:
    """The participant's ticket, in the participant's language when rendered for e-mail."""
    return html_to_pdf(render_template("registration/pdf/ticket.html", **ticket_context(registration)))


def ticket_filename(event: Event) -> str:
    return f"ticket-{event.slug}.pdf"
