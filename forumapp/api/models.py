"""API tokens: an organiser's key for one event, given to an integrator (a CRM, a badge printer,
a mobile app). Only a hash of the secret is stored; the secret is shown once, when it is made."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.accounts.models import User
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow

__all__ = ["TokenAccess", "TOKEN_ACCESS", "ApiToken"]


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
