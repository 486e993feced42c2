"""A data version per event, bumped in the same transaction as every change of what its public
pages show, so a cached page is keyed by the version it was rendered from and the first request
after an organiser's edit misses the cache.

A flush hook maps each changed object to the event(s) whose pages show it: items, halls, tracks,
partners, collections, award results, event settings directly or through their parent; a person
or organisation of the directory to every event it appears in. One further scope, "site", is
bumped by every public change: organisation pages show appearances across events.

Rows are locked in one order (site first, then events by id), so two organisers' transactions
wait for each other instead of deadlocking. Registrations, tickets, check-in, certificates and
print jobs are not public data and never bump (a registration burst takes no version lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from forumapp.extensions import db
from forumapp.timeutil import utcnow

SITE = "site"


class PublicDataVersion(db.Model):
    """How many times the public data of a scope ("site" or "event:<id>") has changed."""

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


def event_scope(event_id: int) -> str:
    return f"event:{event_id}"


@dataclass(frozen=True)
class DataVersion:
    version: int
    changed_at: datetime

    @property
    def token(self) -> str:
        """Version and time together: a database restored from a backup (versions going back)
        can never meet cache entries written before the restore."""
        return f"{self.version}.{int(self.changed_at.replace(tzinfo=UTC).timestamp() * 1_000_000)}"


def current_version(scope: str, *, created_at: datetime | None = None) -> DataVersion:
    """The scope's version now (a scope never changed since the migration is version 0)."""
    row = db.session.execute(
        sa.select(PublicDataVersion.version, PublicDataVersion.changed_at).where(PublicDataVersion.scope == scope)
    ).first()
    if row is None:
        return DataVersion(0, created_at or datetime(2000, 1, 1))
    return DataVersion(row.version, row.changed_at)


def version_columns(event_id_column):
    """Columns to add to a query of events: the event's version and its time (NULL when the
    event never changed since the migration), read in the same statement as the event."""
    table = PublicDataVersion.__table__
    scope = sa.literal("event:") + sa.cast(event_id_column, String)
    return (table.c.version, table.c.changed_at), table, table.c.scope == scope


def remember(scope: str, version: DataVersion) -> None:
    """Keep a version read together with the page's event, for the page cache of this request
    (forumapp.caching.pages): one query less for every cached page."""
    if has_request_context():
        g.setdefault("data_versions", {})[scope] = version


def remembered(scope: str) -> DataVersion | None:
    return g.get("data_versions", {}).get(scope) if has_request_context() else None


def schedule_version(event) -> str:
    """The exports' `version`: changes with every change of the event's public data, e.g.
    "20261130-v7" (the day of the last change, then the data version)."""
    version = current_version(event_scope(event.id), created_at=event.created_at)
    return f"{version.changed_at:%Y%m%d}-v{version.version}"


# ---- which events does a changed object show on ---------------------------------------------

# Each rule: SQL giving the event ids of a row, from the value of one of its columns.
_ITEM_EVENT = "SELECT event_id FROM programme_item WHERE id = :v"
_COLLECTION_EVENT = "SELECT event_id FROM collection WHERE id = :v"
_CEREMONY_EVENT = "SELECT i.event_id FROM ceremony c JOIN programme_item i ON i.id = c.item_id WHERE c.id = :v"
_NOMINATION_EVENT = (
    "SELECT i.event_id FROM nomination n JOIN ceremony c ON c.id = n.ceremony_id"
    " JOIN programme_item i ON i.id = c.item_id WHERE n.id = :v"
)
_SHOW_EVENT = "SELECT i.event_id FROM collection_show s JOIN programme_item i ON i.id = s.item_id WHERE s.id = :v"
_PERSON_EVENTS = (
    "SELECT i.event_id FROM item_person ip JOIN programme_item i ON i.id = ip.item_id WHERE ip.person_id = :v"
    " UNION SELECT c.event_id FROM collection_designer d JOIN collection c ON c.id = d.collection_id"
    " WHERE d.person_id = :v"
    " UNION SELECT i.event_id FROM laureate l JOIN nomination n ON n.id = l.nomination_id"
    " JOIN ceremony c ON c.id = n.ceremony_id JOIN programme_item i ON i.id = c.item_id"
    " WHERE l.person_id = :v OR l.presenter_id = :v"
)
_ORGANISATION_EVENTS = (
    "SELECT event_id FROM sponsor WHERE organisation_id = :v"
    " UNION SELECT event_id FROM collection WHERE brand_id = :v"
    " UNION SELECT i.event_id FROM item_person ip JOIN programme_item i ON i.id = ip.item_id"
    " JOIN person p ON p.id = ip.person_id WHERE p.organisation_id = :v"
    " UNION SELECT i.event_id FROM laureate l JOIN nomination n ON n.id = l.nomination_id"
    " JOIN ceremony c ON c.id = n.ceremony_id JOIN programme_item i ON i.id = c.item_id"
    " WHERE l.organisation_id = :v"
)

# model name -> [(column, SQL or None when the column is the event id itself)]
EVENT_RULES: dict[str, list[tuple[str, str | None]]] = {
    "Event": [("id", None)],
    **{
        name: [("event_id", None)]
        for name in (
            "Hall", "Track", "ProgrammeItem", "SponsorTier", "Sponsor", "Collection",
            "RegistrationSettings", "ParticipantCategory", "Question",
        )
    },
    "ItemPerson": [("item_id", _ITEM_EVENT)],
    "Ceremony": [("item_id", _ITEM_EVENT)],
    "CollectionShow": [("item_id", _ITEM_EVENT)],
    "Nomination": [("ceremony_id", _CEREMONY_EVENT)],
    "Laureate": [("nomination_id", _NOMINATION_EVENT)],
    "CollectionDesigner": [("collection_id", _COLLECTION_EVENT)],
    "CollectionImage": [("collection_id", _COLLECTION_EVENT)],
    "ShowSegment": [("show_id", _SHOW_EVENT)],
    "Person": [("id", _PERSON_EVENTS)],
    "Organisation": [("id", _ORGANISATION_EVENTS)],
}


def _column_values(obj, column: str) -> set:
    """The column's value now and, for a changed object, before the change (an item moved to
    another event bumps both)."""
    state = sa.inspect(obj)
    values = {getattr(obj, column, None)}
    if column in state.attrs:
        values.update(state.attrs[column].history.deleted or ())
    return {v for v in values if v is not None}


def events_of(connection, obj) -> set[int] | None:
    """Event ids whose public pages show `obj`; None when the object is not public data."""
    rules = EVENT_RULES.get(type(obj).__name__)
    if rules is None:
        return None
    found: set[int] = set()
    for column, sql in rules:
        for value in _column_values(obj, column):
            if sql is None:
                found.add(value)
            else:
                found.update(connection.execute(sa.text(sql), {"v": value}).scalars())
    return found


def _is_changed(session: Session, obj) -> bool:
    return obj not in session.dirty or session.is_modified(obj, include_collections=False)


@event.listens_for(Session, "before_flush")
def _note_deleted(session: Session, flush_context, instances) -> None:
    """Deleted rows are looked up before they go (a person's appearances go with them)."""
    deleted = [obj for obj in session.deleted if type(obj).__name__ in EVENT_RULES]
    if not deleted:
        return
    pending = session.info.setdefault("public_changes", set())
    connection = session.connection()
    for obj in deleted:
        pending.add(SITE)
        pending.update(event_scope(e) for e in events_of(connection, obj) or ())


@event.listens_for(Session, "after_flush")
def _bump_versions(session: Session, flush_context) -> None:
    pending = session.info.pop("public_changes", set())
    changed = [
        obj for obj in (*session.new, *session.dirty)
        if type(obj).__name__ in EVENT_RULES and _is_changed(session, obj)
    ]
    if not changed and not pending:
        return
    connection = session.connection()
    for obj in changed:
        pending.add(SITE)
        pending.update(event_scope(e) for e in events_of(connection, obj) or ())
    # The new version of each event, for work to do once the transaction is committed (the
    # programme PDFs rendered ahead of the crowd: forumapp.caching.pdfs).
    session.info.setdefault("bumped_events", {}).update(
        (int(scope.split(":", 1)[1]), token) for scope, token in bump(connection, pending).items() if scope != SITE
    )


def _lock_order(scope: str):
    return (0, 0) if scope == SITE else (1, int(scope.split(":", 1)[1]))


def bump(connection, scopes) -> dict[str, str]:
    """version + 1 for each scope (created at 1), in the one lock order; the new tokens."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = PublicDataVersion.__table__
    now = utcnow()
    tokens = {}
    for scope in sorted(set(scopes), key=_lock_order):
        statement = insert(table).values(scope=scope, version=1, changed_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.scope], set_={"version": table.c.version + 1, "changed_at": now}
        ).returning(table.c.version, table.c.changed_at)
        row = connection.execute(statement).one()
        tokens[scope] = DataVersion(row.version, row.changed_at).token
    return tokens
