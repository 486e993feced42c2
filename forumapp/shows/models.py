"""Designer collections, their lookbooks, and the running order of a collection show.

A collection belongs to an event and to a brand (an Organisation, usually a fashion house); its
designers are people. A collection show is a programme item of kind "collection_show"; its
CollectionShow row holds the backstage settings and its ShowSegments the running order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.timeutil import utcnow

COLLECTION_CATEGORIES = (
    "mens",
    "womens",
    "childrens",
    "outerwear",
    "sportswear",
    "school_uniform",
    "workwear",
    "accessories",
)
SEASONS = ("", "spring_summer", "autumn_winter", "resort", "all_season")


class Collection(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    season: Mapped[str] = mapped_column(String(20), default="")
    year: Mapped[int | None]
    categories: Mapped[list] = mapped_column(JSON, default=list)  # keys of COLLECTION_CATEGORIES
    looks: Mapped[int] = mapped_column(default=0)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    brand: Mapped[Organisation] = relationship()
    designer_links: Mapped[list[CollectionDesigner]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", order_by="CollectionDesigner.position"
    )
    images: Mapped[list[CollectionImage]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", order_by="CollectionImage.position"
    )

    __table_args__ = (
        CheckConstraint("looks >= 0 AND looks <= 1000", name="looks_in_range"),
        CheckConstraint("year IS NULL OR (year >= 1900 AND year <= 2200)", name="year_in_range"),
        CheckConstraint(f"season IN {SEASONS!r}", name="known_season"),
    )

    @property
    def display_title(self) -> str:
        return pick(self.title, fallback=self.event.fallback_order if self.event else None)

    @property
    def designers(self) -> list[Person]:
        return [link.person for link in self.designer_links]


class CollectionDesigner(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    collection: Mapped[Collection] = relationship(back_populates="designer_links")
    person: Mapped[Person] = relationship()

    __table_args__ = (UniqueConstraint("collection_id", "person_id", name="designer_once"),)


class CollectionImage(db.Model):
    """One picture of a lookbook: a stored, re-encoded image (forumapp.media)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    width: Mapped[int]
    height: Mapped[int]
    caption: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    collection: Mapped[Collection] = relationship(back_populates="images")


class CollectionShow(db.Model):
    """Backstage settings of a programme item of kind collection_show."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), unique=True)
    # Designers are called backstage this many minutes before their segment starts.
    call_minutes: Mapped[int] = mapped_column(default=30)
    # A segment without an explicit duration lasts looks × seconds_per_look.
    seconds_per_look: Mapped[int] = mapped_column(default=40)
    # Pause between two segments (stage reset, music change).
    changeover_seconds: Mapped[int] = mapped_column(default=0)

    item: Mapped[ProgrammeItem] = relationship()
    segments: Mapped[list[ShowSegment]] = relationship(
        back_populates="show", cascade="all, delete-orphan", order_by="ShowSegment.position"
    )

    __table_args__ = (
        CheckConstraint("call_minutes >= 0 AND call_minutes <= 600", name="call_minutes_in_range"),
        CheckConstraint("seconds_per_look > 0 AND seconds_per_look <= 3600", name="seconds_per_look_in_range"),
        CheckConstraint("changeover_seconds >= 0 AND changeover_seconds <= 3600", name="changeover_in_range"),
    )


class ShowSegment(db.Model):
    """One collection's turn on the catwalk."""

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("collection_show.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collection.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    duration_seconds: Mapped[int | None]  # None: looks × seconds per look
    music: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[dict] = mapped_column(JSON, default=dict)

    show: Mapped[CollectionShow] = relationship(back_populates="segments")
    collection: Mapped[Collection] = relationship()

    __table_args__ = (
        UniqueConstraint("show_id", "collection_id", name="collection_once_per_show"),
        CheckConstraint(
            "duration_seconds IS NULL OR (duration_seconds > 0 AND duration_seconds <= 86400)",
            name="duration_in_range",
        ),
    )
