"""Records every change of an event's data in the event log, from one SQLAlchemy flush hook.

Domain services need not remember to log: whatever they change in the items, registrations,
awards, certificates, team or settings of an event is written to `audit_entry` in the same
transaction (rolled back with it). The actor is the signed-in user of the request, if any
(public registrations and background workers have none).

What is written is deliberately short: the names of the changed fields, and their old and new
values only for SHOWN_VALUES (statuses, roles, times, capacities...). Secrets (private-link
tokens, certificate codes, passwords) and personal data never enter the log; an organiser
reads those on the pages that are made for them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from forumapp.audit.models import AuditAction, AuditEntry
from forumapp.i18n import pick
from forumapp.text import printable
from forumapp.timeutil import utcnow

# Columns never worth a line in the log (bookkeeping the app changes by itself).
IGNORED = frozenset({
    "id", "created_at", "updated_at", "sequence", "announced", "checked_at", "check_error", "check_notes",
    "preview_pdf", "token", "form_nonce", "password_hash", "session_token", "waiting_since",
})
# Columns whose values may be shown: none of them can hold a secret or personal data.
SHOWN_VALUES = frozenset({
    "status", "role", "kind", "place", "capacity", "requires_approval", "takes_signups", "door_checkin",
    "is_public", "required", "results_published", "slug", "starts_on", "ends_on", "starts_at", "ends_at",
    "opens_at", "closes_at", "timezone", "default_locale", "locale_fallback", "position", "hall_id",
    "track_id", "category_id", "design_id", "tier_id", "checked_in_at", "revoked_at", "looks", "season",
    "duration_seconds", "call_minutes", "seconds_per_look", "changeover_seconds", "on_certificates",
    "base", "languages", "serial", "number", "code_prefix",
})
# Per model: columns that are secret there (Event.code is a printed prefix; Certificate.code is
# the verification secret).
SECRET = {"Certificate": frozenset({"code"})}


def _item_event(session: Session, item_id) -> int | None:
    from forumapp.programme.models import ProgrammeItem

    item = session.get(ProgrammeItem, item_id) if item_id else None
    return item.event_id if item else None


def _via(relation: str, parent_model: str, parent_resolver: str) -> Callable:
    """The event of a row found through its parent (e.g. a laureate through its nomination)."""

    def resolve(session: Session, obj) -> int | None:
        parent = getattr(obj, relation, None)
        if parent is None:
            fk = getattr(obj, f"{relation}_id", None)
            parent = session.get(_model(parent_model), fk) if fk else None
        return RULES[parent_resolver][1](session, parent) if parent is not None else None

    return resolve


def _model(name: str):
    return db_models()[name]


def db_models() -> dict:
    from forumapp.extensions import db

    return {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}


def _own(session: Session, obj) -> int | None:
    return obj.event_id


def _by_item(session: Session, obj) -> int | None:
    return _item_event(session, obj.item_id)


# model name -> (kind shown in the log, how to find the row's event)
RULES: dict[str, tuple[str, Callable]] = {
    "Event": ("event", lambda session, obj: obj.id),
    "Hall": ("hall", _own),
    "Track": ("track", _own),
    "ProgrammeItem": ("item", _own),
    "ItemPerson": ("item_person", _by_item),
    "RegistrationSettings": ("registration_settings", _own),
    "ParticipantCategory": ("category", _own),
    "Question": ("question", _own),
    "Registration": ("registration", _own),
    "ItemSignup": ("signup", _via("registration", "Registration", "Registration")),
    "Ceremony": ("ceremony", _by_item),
    "Nomination": ("nomination", _via("ceremony", "Ceremony", "Ceremony")),
    "Laureate": ("laureate", _via("nomination", "Nomination", "Nomination")),
    "CertificateDesign": ("certificate_design", _own),
    "Certificate": ("certificate", _own),
    "EventRole": ("team", _own),
    "SponsorTier": ("sponsor_tier", _own),
    "Sponsor": ("sponsor", _own),
    "Collection": ("collection", _own),
    "CollectionShow": ("show", _by_item),
    "ShowSegment": ("show_segment", _via("show", "CollectionShow", "CollectionShow")),
}
ENTITY_KINDS = tuple(sorted({kind for kind, _resolver in RULES.values()}))


def short_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, date):
        return value.isoformat()
    return printable(str(value), multiline=False)[:80]


def _label(obj) -> str:
    """What the row is called, in the organiser's words (escaped where shown), without control
    characters: data stored before the forms refused them (or by a script) may hold a NUL, which
    PostgreSQL's text columns refuse, and the log must never fail the change it records."""
    return printable(_raw_label(obj), multiline=False)[:200]


def _raw_label(obj) -> str:
    name = type(obj).__name__
    if name == "EventRole":
        return obj.user.email if obj.user else ""
    if name == "Registration":
        return obj.full_name or ""
    for attribute in ("title", "name", "label"):
        value = getattr(obj, attribute, None)
        if isinstance(value, dict) and value:
            return pick(value)[:200]
        if isinstance(value, str) and value:
            return value[:200]
    return ""


def _changes(obj, *, new: bool) -> list[dict]:
    name = type(obj).__name__
    secret = SECRET.get(name, frozenset())
    state = sa.inspect(obj)
    changes = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in IGNORED or key in secret:
            continue
        if new:
            value = getattr(obj, key, None)
            if value in (None, "", {}, []):
                continue
            old, now = None, value
        else:
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            now = history.added[0] if history.added else None
            if old == now:
                continue
        shown = key in SHOWN_VALUES
        changes.append({"field": key, "old": short_value(old) if shown else None, "new": short_value(now) if shown else None})
    return changes


def _actor() -> tuple[int | None, str]:
    """The signed-in user of this request, read without loading anything (a flush must not
    query the user table; Flask-Login keeps the loaded user on `g`)."""
    if not has_request_context():
        return None, ""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.id, user.email


@contextmanager
def paused(session: Session):
    """No entry per row inside the block (an event copy writes one entry for the whole copy)."""
    session.info["audit_paused"] = True
    try:
        yield
    finally:
        session.info.pop("audit_paused", None)


def record(session: Session, event_id: int, action: AuditAction, kind: str, entity_id: int | None,
           label: str = "", changes: list[dict] | None = None) -> None:
    """An entry written by a service itself: for what no single row change says (a copy), and
    for changes made with UPDATE statements, which the flush hook does not see (check-in)."""
    actor_id, actor_name = _actor()
    session.add(AuditEntry(event_id=event_id, actor_id=actor_id, actor_name=actor_name, entity_kind=kind,
                           entity_id=entity_id, entity_label=label[:200], action=action.value,
                           changes=changes or [], created_at=utcnow()))


def _entity_id(obj) -> int | None:
    """The row's id. A new row has it from its INSERT, but no identity key yet in after_flush."""
    state = sa.inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    return key[0] if key and len(key) == 1 else None


@sa_event.listens_for(Session, "after_flush")
def _write_entries(session: Session, flush_context) -> None:
    if session.info.get("audit_paused"):
        return
    touched = []
    for objects, action in ((session.new, AuditAction.CREATED), (session.dirty, AuditAction.CHANGED),
                            (session.deleted, AuditAction.DELETED)):
        for obj in objects:
            rule = RULES.get(type(obj).__name__)
            if rule is not None:
                touched.append((obj, action, rule))
    if not touched:
        return
    gone_events = {obj.id for obj in session.deleted if type(obj).__name__ == "Event"}
    actor_id, actor_name = _actor()
    now = utcnow()
    rows = []
    for obj, action, (kind, resolve) in touched:
        if action is AuditAction.CHANGED and not session.is_modified(obj, include_collections=False):
            continue
        event_id = resolve(session, obj)
        if event_id is None or event_id in gone_events:
            continue  # the log of a deleted event goes with it
        changes = [] if action is AuditAction.DELETED else _changes(obj, new=action is AuditAction.CREATED)
        if action is AuditAction.CHANGED and not changes:
            continue  # only bookkeeping changed
        rows.append({
            "event_id": event_id, "created_at": now, "actor_id": actor_id, "actor_name": actor_name,
            "entity_kind": kind, "entity_id": _entity_id(obj),
            "entity_label": _label(obj), "action": action.value, "changes": changes,
        })
    if rows:
        session.connection().execute(sa.insert(AuditEntry.__table__), rows)
