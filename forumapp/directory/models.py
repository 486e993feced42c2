"""People and organisations that appear in programmes, shows, awards and sponsor lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.timeutil import utcnow

ORGANISATION_KINDS = (
    "enterprise",
    "association",
    "consortium",
    "government_body",
    "fund",
    "university",
    "media",
    "fashion_house",
)


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # {"kk":..., "ru":..., "en":...}
    kind: Mapped[str] = mapped_column(String(30), default="enterprise")
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    logo: Mapped[str | None] = mapped_column(String(300))  # path under the media directory
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Membership: the Zhasampaz consortium and its member enterprises.
    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="members")
    members: Mapped[list[Organisation]] = relationship(back_populates="parent")
    people: Mapped[list[Person]] = relationship(back_populates="organisation")

    __table_args__ = (CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="known_kind"),)

    @property
    def display_name(self) -> str:
        return pick(self.name)


class Person(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # as written in each language
    position: Mapped[dict] = mapped_column(JSON, default=dict)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    bio: Mapped[dict] = mapped_column(JSON, default=dict)
    photo: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")

    @property
    def display_name(self) -> str:
        return pick(self.name)
