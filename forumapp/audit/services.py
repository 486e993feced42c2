"""Reading the event log: filtered, newest first, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forumapp.audit.models import AUDIT_ACTIONS, AuditEntry
from forumapp.audit.recording import ENTITY_KINDS
from forumapp.extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogFilter:
    kind: str = ""
    action: str = ""
    actor: str = ""  # an actor's e-mail as logged, or "-" for changes made without an account
    page: int = 1

    @classmethod
    def from_args(cls, args) -> LogFilter:
        """Unknown values are ignored (a hand-edited address shows the whole log, never a 500)."""
        kind = args.get("kind", "")
        action = args.get("action", "")
        try:
            page = max(1, min(int(args.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(kind=kind if kind in ENTITY_KINDS else "", action=action if action in AUDIT_ACTIONS else "",
                   actor=args.get("actor", "")[:254], page=page)


@dataclass(frozen=True)
class LogPage:
    entries: list[AuditEntry]
    page: int
    has_next: bool
    total: int


def actors(event_id: int) -> list[str]:
    """Everyone who appears in the event's log (the filter's choices)."""
    return list(db.session.scalars(
        sa.select(AuditEntry.actor_name).filter_by(event_id=event_id).distinct().order_by(AuditEntry.actor_name)
    ))


def event_log(event_id: int, wanted: LogFilter) -> LogPage:
    query = sa.select(AuditEntry).filter_by(event_id=event_id)
    if wanted.kind:
        query = query.filter_by(entity_kind=wanted.kind)
    if wanted.action:
        query = query.filter_by(action=wanted.action)
    if wanted.actor:
        query = query.filter_by(actor_name="" if wanted.actor == "-" else wanted.actor)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((wanted.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return LogPage(entries=list(rows[:PAGE_SIZE]), page=wanted.page, has_next=len(rows) > PAGE_SIZE, total=total)
