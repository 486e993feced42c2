"""Certificates of participation: the recipients come from registration and check-in. Registered
as a source of forumapp.awards.services, next to laureates, speakers and partners."""

from __future__ import annotations

from forumapp.awards.services import register_source
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration.models import Registration


def _same_in_every_language(text: str) -> dict:
    # A participant writes their name once, in their own script; it is printed as written.
    return {"kk": text, "ru": text, "en": text} if text else {}


def checked_in_participants(event: Event, scope: dict) -> list[dict]:
    """Everyone who was checked in at the door, alphabetically: a certificate of participation
    is for those who came, not for everyone who registered."""
    query = db.select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == "confirmed",
        Registration.checked_in_at.is_not(None),
    )
    if scope.get("category_id"):
        query = query.where(Registration.category_id == scope["category_id"])
    registrations = sorted(db.session.scalars(query), key=lambda r: (r.full_name.casefold(), r.id))
    return [
        {
            "source": f"registration:{registration.id}",
            "name": _same_in_every_language(registration.full_name),
            "organisation": _same_in_every_language(registration.organisation_name),
            "reason": dict(event.title or {}),
            "place": None,
            "citation": {},
            "sort_key": f"{n:06d}",
            "laureate_id": None,
        }
        for n, registration in enumerate(registrations)
    ]


register_source("participation", checked_in_participants)
