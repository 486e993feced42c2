"""The event log: who changed what, and when, in one event (Indico's event log)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forumapp.extensions import db
from forumapp.timeutil import utcnow

__all__ = ["AUDIT_ACTIONS", "AuditAction", "AuditEntry"]


class AuditAction(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    COPIED = "copied"  # the event was copied to, or made as a copy of, another edition


AUDIT_ACTIONS = tuple(action.value for action in AuditAction)


class AuditEntry(db.Model):
    """One change of one row. The actor's e-mail is kept as it was, so the log still names a
    team member after their account is gone. `changes` holds field names, with old and new
    values only for fields that cannot carry secrets or personal data (forumapp.audit.recording)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(254), default="")
    entity_kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    entity_label: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))
    # [{"field": name, "old": str | None, "new": str | None}]; values only where safe to show.
    changes: Mapped[list] = mapped_column(JSON, default=list)

    __table_args__ = (
        CheckConstraint(f"action IN {AUDIT_ACTIONS!r}", name="known_action"),
        Index("ix_audit_entry_event_created", "event_id", "created_at", "id"),
    )
