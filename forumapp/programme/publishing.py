"""Publishing an event or its draft items, and the warnings an organiser confirms first.

Publishing used to go through silently with open warnings; now the service returns them and
changes nothing until the organiser confirms (the view shows them with a confirm button)."""

from __future__ import annotations

from forumapp.extensions import db
from forumapp.programme.models import EVENT_STATUSES, Event
from forumapp.programme.services import event_items
from forumapp.programme.warnings import Warning, schedule_warnings


def open_warnings(event: Event) -> list[Warning]:
    return schedule_warnings(event_items(event))


def set_event_status(event: Event, status: str, *, confirmed: bool) -> list[Warning]:
    """Set the event's status and commit; unless `confirmed`, publishing with open warnings
    changes nothing and returns the warnings to confirm. Other statuses need no confirmation."""
    if status not in EVENT_STATUSES:
        raise ValueError(status)
    if status == "published" and event.status != "published" and not confirmed:
        warnings = open_warnings(event)
        if warnings:
            return warnings
    event.status = status
    db.session.commit()
    return []


def publish_drafts(event: Event, *, confirmed: bool) -> tuple[int, list[Warning]]:
    """Publish every draft item: (how many were published, warnings to confirm first). The
    warnings that ask for confirmation are those naming a draft: a warning among items already
    published was confirmed (or not) when they went public."""
    drafts = [item for item in event_items(event) if item.status == "draft"]
    if not drafts:
        return 0, []
    if not confirmed:
        draft_ids = {item.id for item in drafts}
        warnings = [w for w in open_warnings(event) if draft_ids & set(w.item_ids)]
        if warnings:
            return 0, warnings
    for item in drafts:
        item.status = "published"
    db.session.commit()
    return len(drafts), []
