"""Places at a programme item as a visitor sees them on the item's page: how many are free,
or that it is full and how many wait. The rules are the registration service's own (a place is
held by a confirmed sign-up; no capacity means no limit); this only counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func

from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from forumapp.registration.models import ItemSignup
from forumapp.registration.services import place_free


@dataclass(frozen=True, slots=True)
class Places:
    capacity: int | None  # None: no limit
    taken: int
    waiting: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return not place_free(self.capacity, self.taken)

    @property
    def token(self) -> str:
        """What of the page changes with the counts: part of the page cache's key."""
        return f"{self.capacity}/{self.taken}/{self.waiting}"


def item_places(item: ProgrammeItem) -> Places | None:
    """The counts of an item participants sign up for (None for other items)."""
    if not item.takes_signups:
        return None
    return _places(item.id, item.capacity)


def places_key(event_id: int, item_id: int, connection=None) -> str:
    """The counts behind an item's page, for the page cache's key ('' for items without
    sign-ups): one narrow lookup and one count on the (item_id, status) index. `connection`: a
    Connection to read them on instead of the session (the replay layer's, outside any request)."""
    reader = connection if connection is not None else db.session
    row = reader.execute(
        db.select(ProgrammeItem.takes_signups, ProgrammeItem.capacity).where(
            ProgrammeItem.id == item_id, ProgrammeItem.event_id == event_id)
    ).first()
    if row is None or not row.takes_signups:
        return ""
    return _places(item_id, row.capacity, reader).token


def _places(item_id: int, capacity: int | None, reader=None) -> Places:
    counts = dict(
        (reader if reader is not None else db.session).execute(
            db.select(ItemSignup.status, func.count(ItemSignup.id))
            .where(ItemSignup.item_id == item_id, ItemSignup.status.in_(("confirmed", "waiting")))
            .group_by(ItemSignup.status)
        ).all()
    )
    return Places(capacity, counts.get("confirmed", 0), counts.get("waiting", 0))
