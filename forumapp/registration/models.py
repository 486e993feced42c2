"""Registration: who is coming to an event, for which programme items, and the e-mail outbox.

Times are naive UTC. Capacity is enforced in services.py under a lock on the event's
RegistrationSettings row (PostgreSQL) or the database write lock (SQLite).
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.timeutil import to_utc, utcnow

__all__ = [
    "REGISTRATION_STATUSES",
    "SIGNUP_STATUSES",
    "QUESTION_KINDS",
    "MESSAGE_STATUSES",
    "LOCALES",
    "RegistrationSettings",
    "ParticipantCategory",
    "Question",
    "Registration",
    "ItemSignup",
    "OutgoingMessage",
]

REGISTRATION_STATUSES = ("pending", "confirmed", "waiting", "rejected", "cancelled")
SIGNUP_STATUSES = ("confirmed", "waiting", "cancelled")
QUESTION_KINDS = ("text", "single_choice", "multiple_choice", "checkbox")
MESSAGE_STATUSES = ("queued", "sent", "failed")
LOCALES = ("kk", "ru", "en")


def new_token() -> str:
    """The private link's secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class RegistrationSettings(db.Model):
    """One per event. Its row is also the lock taken before places are counted."""

    __tablename__ = "registration_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    opens_at: Mapped[datetime | None]  # naive UTC; None = open now
    # naive UTC; None = when the event ends (the end of its last day in its time zone). An
    # organiser may set it earlier or later; a past event never takes new people by default.
    closes_at: Mapped[datetime | None]
    capacity: Mapped[int | None]  # None = unlimited
    requires_approval: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_positive"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="closes_after_open"),
    )

    @property
    def effective_closes_at(self) -> datetime:
        """When registration closes: the organisers' time, else when the event ends."""
        if self.closes_at is not None:
            return self.closes_at
        return event_end(self.event)

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.opens_at is not None and now < self.opens_at:
            return False
        return now < self.effective_closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        """Closed for good (as opposed to not open yet)."""
        return (now or utcnow()) >= self.effective_closes_at


def event_end(event: Event) -> datetime:
    """The end of the event's last day in its own time zone, as naive UTC."""
    return to_utc(datetime.combine(event.ends_on + timedelta(days=1), time.min), event.timezone)


class ParticipantCategory(db.Model):
    __tablename__ = "participant_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # Stable key of the default categories (delegate, speaker, press, exhibitor, guest), or "".
    code: Mapped[str] = mapped_column(String(30), default="")
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    # Offered on the public form and the participant's own page. Others (speakers, guests of
    # honour) are given by organisers only; choosing one yourself would skip their vetting.
    is_public: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Registering in, or moving to, this category waits for an organiser's approval even when
    # the event does not ask for it for everyone (press accreditation).
    requires_approval: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def display_name(self) -> str:
        return pick(self.name)


class Question(db.Model):
    """An organiser's extra question on the registration form."""

    __tablename__ = "registration_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[dict] = mapped_column(JSON, default=dict)
    # For choice questions: a list of {"kk","ru","en"} dicts; an answer stores the index.
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint(f"kind IN {QUESTION_KINDS!r}", name="known_kind"),)

    @property
    def display_label(self) -> str:
        return pick(self.label)

    def choice_labels(self) -> list[str]:
        return [pick(c) for c in self.choices or []]


class Registration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # The private link's secret. Never shown to anyone but the participant (by e-mail).
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    # A per-form-render nonce: the same form submitted twice finds the first registration. Unique
    # per event, not across events: a nonce from one event's form must not collide with another's.
    form_nonce: Mapped[str | None] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))  # lower-cased
    phone: Mapped[str] = mapped_column(String(50), default="")
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant_category.id", ondelete="SET NULL"), index=True
    )
    locale: Mapped[str] = mapped_column(String(5), default="ru")
    consent_at: Mapped[datetime]
    # {str(question_id): str | list[int] | bool}; choice answers are indexes into Question.choices.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Waiting list order: (waiting_since, id). Set when the registration starts waiting.
    waiting_since: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    category: Mapped[ParticipantCategory | None] = relationship()
    signups: Mapped[list[ItemSignup]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="ItemSignup.id"
    )
    messages: Mapped[list[OutgoingMessage]] = relationship(back_populates="registration")

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="one_per_email"),
        UniqueConstraint("event_id", "form_nonce", name="one_per_form"),
        CheckConstraint(f"status IN {REGISTRATION_STATUSES!r}", name="known_status"),
        CheckConstraint(f"locale IN {LOCALES!r}", name="known_locale"),
        Index("ix_registration_event_status", "event_id", "status", "waiting_since", "id"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in ("pending", "confirmed", "waiting")


class ItemSignup(db.Model):
    """A registration's place (or place in the queue) at one programme item."""

    __tablename__ = "item_signup"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    waiting_since: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="signups")
    item: Mapped[ProgrammeItem] = relationship()

    __table_args__ = (
        UniqueConstraint("registration_id", "item_id", name="once_per_item"),
        CheckConstraint(f"status IN {SIGNUP_STATUSES!r}", name="known_status"),
        Index("ix_item_signup_item_status", "item_id", "status", "waiting_since", "id"),
    )


class OutgoingMessage(db.Model):
    """The e-mail outbox. Queued in the same transaction as the change it reports; delivered
    after commit (services.outbox.deliver_pending) or kept for organisers to read."""

    __tablename__ = "outgoing_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30), default="")
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # [{"filename", "mime", "kind", "ref"}], rendered at send time by registered renderers.
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    registration: Mapped[Registration | None] = relationship(back_populates="messages")

    __table_args__ = (
        CheckConstraint(f"status IN {MESSAGE_STATUSES!r}", name="known_status"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
        Index("ix_outgoing_message_status_next", "status", "next_attempt_at"),
    )
