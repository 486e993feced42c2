"""A schedule release: an organiser's named, dated version of the public programme (what pretalx
calls a release), with the programme as it was at that moment, so that what changed between two
releases is computed from their snapshots and never from a history of edits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow

__all__ = ["ScheduleRelease"]


class ScheduleRelease(db.Model):
    """Shown on the public page of changes and in the exports' version, yet not among the rows
    caching.versions bumps on its own: services.release bumps the event's data version itself,
    first (that is its lock), and records the version it made. Releases are never edited."""

    __tablename__ = "schedule_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # "1.0", "Final": what the exports carry as their version while nothing changed since.
    name: Mapped[str] = mapped_column(String(60))
    # In the organiser's words, in one language (as they wrote it).
    changelog: Mapped[str] = mapped_column(Text, default="")
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # {"items": {"<item id>": {"title", "start", "end", "hall_id", "hall", "status", "people"}}}
    # (see releases.snapshot): the public programme at release time.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    # The event's public data version this release made: while it is still the event's
    # version, nothing public changed since and the exports carry `name` alone.
    data_version: Mapped[int] = mapped_column(default=0)
    # How many participants were told of their changes by e-mail.
    notified: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "name", name="name_once_per_event"),)
