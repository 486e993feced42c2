"""Partners and sponsors of an event, grouped in tiers the organisers name and order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow


class SponsorTier(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    sponsors: Mapped[list[Sponsor]] = relationship(
        back_populates="tier", cascade="all, delete-orphan", order_by="Sponsor.position"
    )

    @property
    def display_name(self) -> str:
        return pick(self.name, fallback=self.event.fallback_order if self.event else None)


class Sponsor(db.Model):
    """An organisation's support of one event, in one tier."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("sponsor_tier.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    logo: Mapped[str | None] = mapped_column(String(300))  # own logo; else the organisation's
    url: Mapped[str] = mapped_column(String(500), default="")  # else the organisation's website
    position: Mapped[int] = mapped_column(default=0)
    # Named on certificates ("with the support of ...").
    on_certificates: Mapped[bool] = mapped_column(default=True)
    # When the row last changed: the API's `updated_since` filter (incremental sync).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    tier: Mapped[SponsorTier] = relationship(back_populates="sponsors")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "organisation_id", name="organisation_once_per_event"),)

    @property
    def display_name(self) -> str:
        return self.organisation.display_name

    @property
    def shown_logo(self) -> str | None:
        return self.logo or self.organisation.logo

    @property
    def shown_url(self) -> str:
        return self.url or self.organisation.website or ""
