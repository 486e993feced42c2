"""Accounts: creating users and checking what they may do."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from forumapp.accounts.models import ORGANISER, User
from forumapp.extensions import db, login_manager


class AccountError(ValueError):
    pass


def create_user(email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = email.strip().lower()
    if len(password) < 8:
        raise AccountError("password must have at least 8 characters")
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise AccountError(f"an account for {email} exists already")
    user = User(email=email, name=name, is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


def require_event_role(event, *roles: str) -> None:
    """403 unless the signed-in user holds one of `roles` (default: organiser) for the event."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())  # the sign-in page, then back here
    if not current_user.has_event_role(event.id, *(roles or (ORGANISER,))):
        abort(403)


def require_admin() -> None:
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)
