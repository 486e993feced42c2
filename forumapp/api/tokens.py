"""Making, checking and revoking API tokens. Nothing here knows about requests.

A token is `fa_` followed by 256 random bits (URL-safe base64). The database keeps its sha256 and
its first characters: whoever reads a backup cannot use the tokens in it, and the organiser still
tells them apart by prefix. A token is accepted while it is not revoked AND its creator still
organises the event (or is a site admin) with an active account: taking someone off the team
ends the integrations they set up, as it ends their sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update

from forumapp.accounts.models import ORGANISER, User
from forumapp.api.models import ApiToken, TokenAccess
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow

PREFIX = "fa_"
SHOWN_PREFIX_LENGTH = 11  # "fa_" and 8 characters of the secret
# last_used_at is written at most this often per token (not one write per API request).
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the organiser once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(event: Event, user: User, name: str, access: TokenAccess | str) -> NewToken:
    """A new token for `event`, on `user`'s authority. Commits."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        event_id=event.id, created_by_id=user.id, name=name.strip()[:100],
        prefix=secret[:SHOWN_PREFIX_LENGTH], secret_hash=hash_secret(secret), access=TokenAccess(access).value,
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def tokens_of(event: Event) -> list[ApiToken]:
    return list(db.session.scalars(
        db.select(ApiToken).filter_by(event_id=event.id).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
    ))


def revoke(token: ApiToken) -> None:
    """Stops the token at once (the row stays, so the list shows when it was revoked). Commits."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.commit()


def find_active(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, or its creator no longer
    organises the event)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(db.select(ApiToken).filter_by(secret_hash=hash_secret(secret)))
    if token is None or token.revoked_at is not None:
        return None
    creator = token.created_by
    if creator is None or not creator.is_active or not creator.has_event_role(token.event_id, ORGANISER):
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Record when the token was last used, at most once a minute. Commits its own small
    transaction (the request may only read)."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
