"""Programme rules that know nothing of the request: lookups, validation, warnings."""

from __future__ import annotations

from flask import abort

from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem


def public_event_or_404(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None or not event.is_public:
        abort(404)
    return event


def event_or_404(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None:
        abort(404)
    return event


def published_items(event: Event) -> list[ProgrammeItem]:
    return list(
        db.session.scalars(
            db.select(ProgrammeItem)
            .filter_by(event_id=event.id, status="published")
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.hall_id)
        )
    )
