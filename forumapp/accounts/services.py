"""Accounts: creating users and checking what they may do."""

from __future__ import annotations

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import abort
from flask_login import current_user
from werkzeug.security import check_password_hash, generate_password_hash

from forumapp.accounts.models import ORGANISER, User
from forumapp.extensions import db, login_manager

EMAIL_MAX_LENGTH = 254


class AccountError(ValueError):
    pass


def check_sign_in_address(email: str) -> str:
    """The address, stripped and lower-cased, if the sign-in form would accept it (the form's
    validator, SignInAddress, calls this too); AccountError otherwise. An account whose address
    the form refuses could never sign in."""
    address = (email or "").strip()
    if not address or len(address) > EMAIL_MAX_LENGTH:
        raise AccountError(f"{email!r} is not a valid e-mail address")
    try:
        # The options WTForms' Email() validator uses, which the sign-in form used before.
        validate_email(address, check_deliverability=False, allow_smtputf8=True, allow_empty_local=False)
    except EmailNotValidError as exc:
        raise AccountError(f"{email!r} is not a valid e-mail address: {exc}") from exc
    return address.lower()


def create_user(email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = check_sign_in_address(email)
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


@cache
def _hash_of_nobody() -> str:
    """A hash made the way real ones are, checked when no account matches."""
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, else None. Exactly one password hash
    is checked either way, so the answer takes as long for an unknown address as for a known one
    (otherwise the delay tells which addresses have accounts)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_hash_of_nobody(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def require_event_role(event, *roles: str) -> None:
    """403 unless the signed-in user holds one of `roles` (default: organiser) for the event."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())  # the sign-in page, then back here
    if not current_user.has_event_role(event.id, *(roles or (ORGANISER,))):
        abort(403)


def require_admin() -> None:
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)
