"""Rows fetched by id on behalf of an event. A row of another event is as good as missing: an
organiser of one forum can never reach another's registrations, tiers or jobs by editing a URL."""

from __future__ import annotations

from flask import abort

from forumapp.extensions import db


def of_event_or_404(model, row_id, event, **matching):
    """The `model` row with this id if it belongs to `event` (and has the `matching` attribute
    values, e.g. kind="award_ceremony"); otherwise the request ends with 404."""
    row = db.session.get(model, row_id)
    if row is None or row.event_id != event.id or any(getattr(row, k) != v for k, v in matching.items()):
        abort(404)
    return row
