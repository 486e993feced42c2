"""Releasing a schedule version, the changes between versions, and the version the exports carry.
Knows nothing of the request: views call these and turn ReleaseRefused into a field error."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from forumapp.caching.versions import bump, current_version, event_scope, schedule_version
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.programme.services import feed_items
from forumapp.releases.models import ScheduleRelease
from forumapp.releases.snapshot import Change, diff, take_snapshot
from forumapp.timeutil import utcnow

# Tests only: called between computing the changes and writing anything, where a barrier makes
# two releases race reliably when RELEASE_LOCK is switched off (tests/releases/test_concurrency.py).
after_diff_hook = None


class ReleaseRefused(Exception):
    """The release was not made; `reason` says why ("name_taken" or "changed_meanwhile")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def releases(event: Event) -> list[ScheduleRelease]:
    """Oldest first."""
    return list(db.session.scalars(
        db.select(ScheduleRelease).filter_by(event_id=event.id).order_by(ScheduleRelease.released_at, ScheduleRelease.id)
    ))


def latest_release(event: Event) -> ScheduleRelease | None:
    return db.session.scalar(
        db.select(ScheduleRelease).filter_by(event_id=event.id)
        .order_by(ScheduleRelease.released_at.desc(), ScheduleRelease.id.desc()).limit(1)
    )


def public_snapshot(event: Event) -> dict:
    return take_snapshot(feed_items(event))


def unreleased_changes(event: Event) -> list[Change]:
    """What the next release would list: the public programme now against the latest release."""
    latest = latest_release(event)
    return diff(latest.snapshot if latest else None, public_snapshot(event))


def data_version(event: Event) -> int:
    return current_version(event_scope(event.id), created_at=event.created_at).version


@dataclass(frozen=True)
class ReleaseHistory:
    release: ScheduleRelease
    changes: list[Change]  # since the release before it (all "new" for the first)


def history(event: Event) -> list[ReleaseHistory]:
    """Newest first, each with what changed since the one before."""
    found, previous = [], None
    for release in releases(event):
        found.append(ReleaseHistory(release, diff(previous, release.snapshot)))
        previous = release.snapshot
    return found[::-1]


def name_taken(event: Event, name: str) -> bool:
    return db.session.scalar(
        db.select(ScheduleRelease.id).filter_by(event_id=event.id, name=name.strip())
    ) is not None


def release(event: Event, name: str, changelog: str, user=None, *, seen_version: int | None = None) -> ScheduleRelease:
    """Publish a schedule version and queue one e-mail per participant whose items moved or were
    cancelled since the previous version, all in one transaction (committed here).

    The event's data version is bumped first: its row lock (PostgreSQL) or the write lock
    (SQLite) makes two releases of one event wait for each other, so the second one diffs
    against the first and finds nothing new to e-mail. Nobody is e-mailed twice for one change.
    `seen_version`: the data version the organiser's confirmation page showed; a release over
    changes they have not seen is refused."""
    from forumapp.releases.mail import queue_change_notices

    name = name.strip()
    locked = current_app.config.get("RELEASE_LOCK", True)
    if locked:
        bump(db.session.connection(), [event_scope(event.id)])
    shown = data_version(event) - (1 if locked else 0)  # the version before this release
    if seen_version is not None and seen_version != shown:
        db.session.rollback()
        raise ReleaseRefused("changed_meanwhile")
    if name_taken(event, name):
        db.session.rollback()
        raise ReleaseRefused("name_taken")
    previous = latest_release(event)
    snapshot = public_snapshot(event)
    changes = diff(previous.snapshot if previous else None, snapshot)
    if after_diff_hook is not None:
        after_diff_hook()
    if not locked:
        bump(db.session.connection(), [event_scope(event.id)])
    made = ScheduleRelease(
        event_id=event.id,
        name=name,
        changelog=changelog.strip(),
        released_at=utcnow(),
        released_by_id=getattr(user, "id", None),
        snapshot=snapshot,
        # The release is not public data of its own (no second bump): this version is the
        # one the public pages show it in.
        data_version=data_version(event),
    )
    db.session.add(made)
    # A first release has nothing earlier to have moved from: nobody is e-mailed.
    made.notified = queue_change_notices(event, made, changes) if previous else 0
    db.session.commit()
    return made


def export_version(event: Event) -> str:
    """The exports' `version`. The latest release's name while the public data is still the
    one it was released from; after any later public change "<name>+<day>-v<n>", so consumers
    still see a new version with every change; "<day>-v<n>" before the first release."""
    latest = latest_release(event)
    if latest is None:
        return schedule_version(event)
    if latest.data_version == data_version(event):
        return latest.name
    return f"{latest.name}+{schedule_version(event)}"
