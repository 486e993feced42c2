"""A forum edition (event), its halls and tracks, and the items of its programme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.timeutil import to_local, utcnow

EVENT_STATUSES = ("draft", "published", "archived")
ITEM_STATUSES = ("draft", "published", "cancelled")
ITEM_KINDS = (
    "opening",
    "plenary",
    "session",
    "round_table",
    "panel",
    "workshop",
    "presentation",
    "award_ceremony",
    "collection_show",
    "exhibition",
    "networking",
    "break",
)
PERSON_ROLES = ("speaker", "moderator", "panelist", "host", "designer", "presenter", "jury_member")


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Almaty")
    venue: Mapped[dict] = mapped_column(JSON, default=dict)
    city: Mapped[dict] = mapped_column(JSON, default=dict)
    organisers_text: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Language shown when the visitor's browser says nothing, and the order to fall back in.
    default_locale: Mapped[str] = mapped_column(String(5), default="ru")
    locale_fallback: Mapped[str] = mapped_column(String(20), default="kk,ru,en")
    # Prefix of certificate numbers, e.g. LIF-2016.
    code: Mapped[str] = mapped_column(String(30), default="")
    # A banner or logo shown at the top of the event's home page: a path in the storage (media/).
    banner: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    halls: Mapped[list[Hall]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Hall.position"
    )
    tracks: Mapped[list[Track]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Track.position"
    )
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="ProgrammeItem.starts_at"
    )

    __table_args__ = (
        CheckConstraint(f"status IN {EVENT_STATUSES!r}", name="known_status"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    @property
    def display_title(self) -> str:
        return pick(self.title, fallback=self.fallback_order)

    @property
    def fallback_order(self) -> list[str]:
        return [c for c in self.locale_fallback.split(",") if c]

    @property
    def is_public(self) -> bool:
        return self.status in ("published", "archived")

    @property
    def days(self) -> list[date]:
        from datetime import timedelta

        return [
            self.starts_on + timedelta(days=n)
            for n in range((self.ends_on - self.starts_on).days + 1)
        ]

    def local(self, utc: datetime) -> datetime:
        return to_local(utc, self.timezone)


class Hall(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="halls")

    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),)

    @property
    def display_name(self) -> str:
        return pick(self.name)


class Track(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    color: Mapped[str] = mapped_column(String(7), default="#4a6fa5")
    position: Mapped[int] = mapped_column(default=0)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="tracks")

    @property
    def display_name(self) -> str:
        return pick(self.name)


class ProgrammeItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id", ondelete="SET NULL"), index=True)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id", ondelete="SET NULL"))
    capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Participants may sign up for this item (round tables, workshops, show seats).
    takes_signups: Mapped[bool] = mapped_column(default=False)
    # Staff check people in at this item's door as well as at the event's.
    door_checkin: Mapped[bool] = mapped_column(default=False)
    # Chosen by the organisers for the event's home page ("highlights").
    highlight: Mapped[bool] = mapped_column(default=False)
    # Set once the item has been public: cancelled afterwards, it stays in the calendar and
    # schedule feeds marked as cancelled, so people who subscribed are told instead of the
    # item silently vanishing.
    announced: Mapped[bool] = mapped_column(default=False)
    # RFC 5545 SEQUENCE: bumped on every change a subscriber's calendar shows.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="items")
    hall: Mapped[Hall | None] = relationship()
    track: Mapped[Track | None] = relationship()
    people: Mapped[list[ItemPerson]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemPerson.position"
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(f"kind IN {ITEM_KINDS!r}", name="known_kind"),
        CheckConstraint(f"status IN {ITEM_STATUSES!r}", name="known_status"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
        Index("ix_programme_item_event_starts", "event_id", "starts_at"),
    )

    @property
    def display_title(self) -> str:
        return pick(self.title, fallback=self.event.fallback_order)

    @property
    def local_start(self) -> datetime:
        return self.event.local(self.starts_at)

    @property
    def in_feeds(self) -> bool:
        """Published, or cancelled after it was published (feeds then say it is cancelled)."""
        return self.status == "published" or (self.status == "cancelled" and self.announced)

    @property
    def local_end(self) -> datetime:
        return self.event.local(self.ends_at)


class ItemPerson(db.Model):
    """A person's part in a programme item: speaker, moderator, designer, ..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[ProgrammeItem] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()

    __table_args__ = (
        UniqueConstraint("item_id", "person_id", "role", name="person_role_once"),
        CheckConstraint(f"role IN {PERSON_ROLES!r}", name="known_role"),
    )


# What a calendar shows of an item: a change to any of these is a new SEQUENCE.
_CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "hall_id", "status")


@sa_event.listens_for(ProgrammeItem, "before_insert")
def _announce_on_insert(mapper, connection, item: ProgrammeItem) -> None:
    if item.status == "published":
        item.announced = True


@sa_event.listens_for(ProgrammeItem, "before_update")
def _track_calendar_changes(mapper, connection, item: ProgrammeItem) -> None:
    if item.status == "published":
        item.announced = True
    state = sa_inspect(item)
    if item.announced and any(state.attrs[name].history.has_changes() for name in _CALENDAR_FIELDS):
        item.sequence = (item.sequence or 0) + 1
