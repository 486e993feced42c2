"""This installation's identity: a random id created once and kept in the database.

Calendar UIDs and schedule guids are derived from it, so item #1 of one forumapp server never
has the UID of item #1 of another (a calendar program that subscribes to two forums keeps both),
and every host of one deployment derives the same ids (they share the database)."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from forumapp.extensions import db


class Installation(db.Model):
    # A single row, id 1: a unique key, so two processes creating it at once end with one.
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36))


_cached: dict[str, str] = {}


def installation_id() -> str:
    """The installation's id, created on first use."""
    key = db.engine.url.render_as_string(hide_password=True)
    if key in _cached:
        return _cached[key]
    row = db.session.get(Installation, 1)
    if row is None:
        # Created in its own transaction, so a caller's half-done work is not committed with it.
        with db.engine.begin() as conn:
            try:
                conn.execute(db.insert(Installation).values(id=1, uid=str(uuid.uuid4())))
            except IntegrityError:
                pass  # another process created it first: read theirs
        with db.engine.connect() as conn:
            uid = conn.scalar(db.select(Installation.uid).where(Installation.id == 1))
    else:
        uid = row.uid
    _cached[key] = uid
    return uid

