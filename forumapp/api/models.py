"""API tokens: an organiser's key for one event, given to an integrator (a CRM, a badge printer,
a mobile app). Only a hash of the secret is stored; the secret is shown once, when it is made."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.accounts.models import User
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow

__all__ = ["TokenAccess", "TOKEN_ACCESS", "ApiToken", "WebhookKind", "WEBHOOK_KINDS", "DeliveryStatus",
           "DELIVERY_STATUSES", "WebhookEndpoint", "WebhookDelivery"]


class TokenAccess(StrEnum):
    READ = "read"  # list and read registrations
    READ_WRITE = "read_write"  # also check in, undo a check-in, promote from the waiting list


TOKEN_ACCESS = tuple(access.value for access in TokenAccess)


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # Whose authority the token carries: it stops working when they stop organising the event.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, shown in the list so the organiser can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # sha256 of the whole secret (256 random bits: a slow hash would add nothing).
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access: Mapped[str] = mapped_column(String(20), default=TokenAccess.READ.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint(f"access IN {TOKEN_ACCESS!r}", name="known_access"),)

    @property
    def may_write(self) -> bool:
        return self.access == TokenAccess.READ_WRITE.value

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# ---- webhooks ----------------------------------------------------------------------------------


class WebhookKind(StrEnum):
    REGISTRATION_CREATED = "registration.created"
    REGISTRATION_CONFIRMED = "registration.confirmed"
    REGISTRATION_CANCELLED = "registration.cancelled"


WEBHOOK_KINDS = tuple(kind.value for kind in WebhookKind)


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # to be sent (again, from next_attempt_at)
    SENT = "sent"  # the receiver answered 2xx
    FAILED = "failed"  # given up after MAX_ATTEMPTS


DELIVERY_STATUSES = tuple(status.value for status in DeliveryStatus)


class WebhookEndpoint(db.Model):
    """An address the organiser wants told when registrations change, with the secret that
    signs every delivery (kept readable: signing needs it; shown to the organiser once)."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(80))
    kinds: Mapped[list] = mapped_column(JSON, default=list)  # values of WebhookKind
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan",
        order_by="WebhookDelivery.id.desc()",
    )


class WebhookDelivery(db.Model):
    """One notification to one endpoint, and the log of trying to deliver it. Written in the
    same transaction as the change it reports (so none is lost), sent after the commit by a
    background task, retried with backoff."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")

    __table_args__ = (
        CheckConstraint(f"status IN {DELIVERY_STATUSES!r}", name="known_status"),
        CheckConstraint(f"kind IN {WEBHOOK_KINDS!r}", name="known_kind"),
        Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"),
    )
