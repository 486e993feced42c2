"""The ticket PDF in e-mails: attached to the messages that tell a participant they have a place.

The outbox stores only a description of the attachment; the PDF is rendered when the message is
sent, in the participant's language, so a changed name or category is printed as it is then.
"""

from __future__ import annotations

from flask_babel import force_locale

from forumapp.extensions import db
from forumapp.registration import outbox
from forumapp.registration.models import OutgoingMessage, Registration
from forumapp.registration.tickets import ticket_filename, ticket_pdf

# Messages that mean "you have a place" (and the private link sent again, if confirmed).
TICKET_MESSAGES = ("confirmed", "promoted", "approved", "link")


@outbox.register_attachment_provider
def ticket_for_confirmed(registration: Registration, kind: str) -> list[dict]:
    """Messages are prepared before the registration is saved (it has no id or status yet), so
    the message kind decides; the registration is found through the message when it is sent."""
    if kind not in TICKET_MESSAGES or (kind == "link" and registration.status != "confirmed"):
        return []
    return [{"filename": ticket_filename(registration.event), "mime": "application/pdf", "kind": "ticket"}]


@outbox.register_attachment_renderer("ticket")
def render_ticket(message: OutgoingMessage, spec: dict) -> bytes:
    registration = db.session.get(Registration, message.registration_id)
    if registration is None:
        raise LookupError(f"registration {message.registration_id!r} no longer exists")
    with force_locale(registration.locale):
        return ticket_pdf(registration).data
