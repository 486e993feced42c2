"""Accounts: who may sign in, and what they may do for which event."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forumapp.extensions import db
from forumapp.timeutil import utcnow

# Roles a user can hold for one event. Site admins can do everything everywhere.
ORGANISER = "organiser"
CHECKIN_STAFF = "checkin_staff"
EVENT_ROLES = (ORGANISER, CHECKIN_STAFF)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session cookie of this account (get_id). Replaced at sign-out and on a new
    # password, which ends every session signed in before: a copied cookie stops working.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(32))

    roles: Mapped[list[EventRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session cookie issued for this account so far stops being accepted."""
        self.session_token = secrets.token_urlsafe(32)

    def get_id(self) -> str:  # what Flask-Login keeps in the session cookie
        return f"{self.id}:{self.session_token}"

    def holds_session(self, token: str) -> bool:
        return bool(self.session_token) and hmac.compare_digest(self.session_token, token)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_event_role(self, event_id: int, *roles: str) -> bool:
        if self.is_admin:
            return True
        wanted = roles or EVENT_ROLES
        return any(r.event_id == event_id and r.role in wanted for r in self.roles)


class EventRole(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (
        UniqueConstraint("user_id", "event_id", "role", name="one_role_once"),
        CheckConstraint(f"role IN {EVENT_ROLES!r}", name="known_role"),
    )
