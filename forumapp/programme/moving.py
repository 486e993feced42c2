"""Moving an item to another hall or time (the schedule editor's drag and drop), with the same
rules as the item form: a day of the event, a hall of the event, the duration kept and the item
ending on the day it starts. The warnings after the move are returned for the editor to show."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _

from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ProgrammeItem
from forumapp.programme.services import event_items, set_item_times
from forumapp.programme.warnings import Warning, schedule_warnings


class MoveRefused(ValueError):
    """The move breaks a rule; the message says which."""


def parse_move(values) -> tuple[int | None, date, time]:
    """hall_id (0 or empty: no hall), day (YYYY-MM-DD) and start (HH:MM) from a form or JSON."""
    try:
        hall = values.get("hall_id")
        hall_id = int(hall) if hall not in (None, "", "0", 0) else None
        day = date.fromisoformat(str(values.get("day", "")))
        start = datetime.strptime(str(values.get("start", "")), "%H:%M").time()
    except (TypeError, ValueError):
        raise MoveRefused(_("Give a hall, a day (YYYY-MM-DD) and a start time (HH:MM).")) from None
    return hall_id, day, start


def move_item(event: Event, item: ProgrammeItem, *, hall_id: int | None, day: date, start: time) -> list[Warning]:
    """Move and commit; the warnings that name the item afterwards. Raises MoveRefused."""
    if not event.starts_on <= day <= event.ends_on:
        raise MoveRefused(_("The item must be on one of the event's days."))
    if hall_id is not None and db.session.scalar(db.select(Hall.id).filter_by(id=hall_id, event_id=event.id)) is None:
        raise MoveRefused(_("This hall is not one of the event's halls."))
    duration = item.ends_at - item.starts_at
    local_end = datetime.combine(day, start) + duration
    if local_end.date() != day:
        raise MoveRefused(_("The item would end after midnight: choose an earlier start."))
    item.hall_id = hall_id
    set_item_times(item, event, day, start, local_end.time())
    db.session.commit()
    return [w for w in schedule_warnings(event_items(event)) if item.id in w.item_ids]
