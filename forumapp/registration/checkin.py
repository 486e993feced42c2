"""Check-in at the entrance and at the door of a single programme item.

A scan reads the signed ticket code, finds the registration by primary key (one indexed
lookup), and marks it with one conditional UPDATE ... WHERE checked_in_at IS NULL. Of two
simultaneous scans of the same ticket exactly one changes the row; the other is told "already
checked in at HH:MM". Nothing here knows about requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forumapp.audit.models import AuditAction
from forumapp.audit.recording import record, short_value
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration.models import ItemSignup, Registration
from forumapp.registration.services import contains_text
from forumapp.registration.tickets import InvalidTicket, read_ticket_code
from forumapp.timeutil import utcnow

# What a scan can say. "ok" results are the ones the door should let through.
CHECKED_IN = "checked_in"
ALREADY = "already_checked_in"
CANCELLED = "cancelled"
WAITING = "waiting"
PENDING = "pending"
REJECTED = "rejected"
OTHER_EVENT = "other_event"
INVALID = "invalid"
NOT_SIGNED_UP = "not_signed_up"  # item door: registered for the forum, not for this item
ITEM_WAITING = "item_waiting"  # item door: on this item's waiting list
OK_RESULTS = (CHECKED_IN, ALREADY)


@dataclass
class ScanResult:
    result: str
    registration: Registration | None = None
    checked_in_at: datetime | None = None  # naive UTC: now, or when the first scan happened
    other_event: Event | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result in OK_RESULTS


def find_by_code(event: Event, code: str) -> ScanResult | Registration:
    """The registration a ticket code names, or the ScanResult that refuses it."""
    try:
        ticket = read_ticket_code(code)
    except InvalidTicket:
        return ScanResult(INVALID)
    if ticket.event_id != event.id:
        return ScanResult(OTHER_EVENT, other_event=db.session.get(Event, ticket.event_id))
    registration = db.session.get(Registration, ticket.registration_id, options=[joinedload(Registration.category)])
    if registration is None or registration.event_id != event.id:
        return ScanResult(INVALID)  # a genuine code whose registration was deleted
    return registration


def check_in(event: Event, registration: Registration, user_id: int | None, at: datetime | None = None) -> ScanResult:
    """Let a confirmed participant in, once. Commits. `at`: when the scan was made, for a scan
    queued by a desk that was offline (see scanned_at); a replay of a scan already recorded is
    answered "already checked in" and changes nothing."""
    if registration.status != "confirmed":
        db.session.rollback()
        return ScanResult(registration.status, registration)
    now = at or utcnow()
    changed = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            Registration.event_id == event.id,
            Registration.status == "confirmed",
            Registration.checked_in_at.is_(None),
        )
        .values(checked_in_at=now, checked_in_by_id=user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 1:
        _log(event.id, "registration", registration, now)
    db.session.commit()
    if changed == 1:
        # What this request wrote, without reading the row again (nor marking it changed).
        set_committed_value(registration, "checked_in_at", now)
        set_committed_value(registration, "checked_in_by_id", user_id)
        return ScanResult(CHECKED_IN, registration, now)
    # Somebody else was first (or the registration was cancelled meanwhile): read what they wrote.
    db.session.refresh(registration, ["status", "checked_in_at"])
    if registration.status != "confirmed":
        return ScanResult(registration.status, registration)
    return ScanResult(ALREADY, registration, registration.checked_in_at)


def check_in_at_item(item: ProgrammeItem, registration: Registration, at: datetime | None = None) -> ScanResult:
    """At a round table's door: a confirmed participant with a confirmed place at this item."""
    if registration.status != "confirmed":
        db.session.rollback()
        return ScanResult(registration.status, registration)
    signup = db.session.scalar(db.select(ItemSignup).filter_by(registration_id=registration.id, item_id=item.id))
    if signup is None or signup.status == "cancelled":
        db.session.rollback()
        return ScanResult(NOT_SIGNED_UP, registration)
    if signup.status == "waiting":
        db.session.rollback()
        return ScanResult(ITEM_WAITING, registration)
    now = at or utcnow()
    changed = db.session.execute(
        update(ItemSignup)
        .where(ItemSignup.id == signup.id, ItemSignup.status == "confirmed", ItemSignup.checked_in_at.is_(None))
        .values(checked_in_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 1:
        _log(item.event_id, "signup", registration, now, entity_id=signup.id)
    db.session.commit()
    if changed == 1:
        set_committed_value(signup, "checked_in_at", now)
        return ScanResult(CHECKED_IN, registration, now)
    db.session.refresh(signup, ["checked_in_at"])
    return ScanResult(ALREADY, registration, signup.checked_in_at)


def scan(event: Event, code: str, user_id: int | None, item: ProgrammeItem | None = None,
         at: datetime | None = None) -> ScanResult:
    found = find_by_code(event, code)
    if isinstance(found, ScanResult):
        db.session.rollback()
        return found
    return check_in_at_item(item, found, at) if item is not None else check_in(event, found, user_id, at)


# A queued scan older than this is recorded at the time it reaches the server: a desk's clock
# that is far off (or a forged value) cannot write a check-in into another day.
REPLAY_WINDOW = timedelta(hours=12)


def scanned_at(epoch_ms: str | None, now: datetime | None = None) -> datetime | None:
    """When a desk made a scan it queued while offline (milliseconds since 1970, from the
    page), kept within the last REPLAY_WINDOW and never in the future; None if not given."""
    if not epoch_ms:
        return None
    now = now or utcnow()
    try:
        moment = datetime.fromtimestamp(int(epoch_ms) / 1000, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
    return min(max(moment, now - REPLAY_WINDOW), now)


def undo_check_in(event: Event, registration_id: int, item: ProgrammeItem | None = None) -> bool:
    """Forget a check-in (a mistaken scan). True if there was one to forget. Commits."""
    if item is not None:
        statement = (
            update(ItemSignup)
            .where(ItemSignup.registration_id == registration_id, ItemSignup.item_id == item.id)
            .values(checked_in_at=None)
        )
    else:
        statement = (
            update(Registration)
            .where(Registration.id == registration_id, Registration.event_id == event.id,
                   Registration.checked_in_at.is_not(None))
            .values(checked_in_at=None, checked_in_by_id=None)
        )
    changed = db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
    if changed:
        record(db.session, event.id, AuditAction.CHANGED, "signup" if item is not None else "registration",
               registration_id, changes=[{"field": "checked_in_at", "old": "…", "new": None}])
    db.session.commit()
    return changed > 0


def _log(event_id: int, kind: str, registration: Registration, at: datetime, *, entity_id: int | None = None) -> None:
    """The event log's line for a check-in (made with an UPDATE, which the flush hook misses)."""
    record(db.session, event_id, AuditAction.CHANGED, kind, entity_id or registration.id, registration.full_name,
           [{"field": "checked_in_at", "old": None, "new": short_value(at)}])


def counts(event: Event, item: ProgrammeItem | None = None) -> dict[str, int]:
    """Expected (confirmed) and arrived (checked in), in one indexed query."""
    if item is not None:
        row = db.session.execute(
            db.select(func.count(ItemSignup.id), func.count(ItemSignup.checked_in_at))
            .join(Registration, Registration.id == ItemSignup.registration_id)
            .where(ItemSignup.item_id == item.id, ItemSignup.status == "confirmed", Registration.status == "confirmed")
        ).one()
    else:
        row = db.session.execute(
            db.select(func.count(Registration.id), func.count(Registration.checked_in_at)).where(
                Registration.event_id == event.id, Registration.status == "confirmed"
            )
        ).one()
    return {"expected": row[0], "arrived": row[1]}


def search(event: Event, text: str, limit: int = 20) -> list[Registration]:
    """Registrations whose name, organisation or e-mail contains the text (any status, so the
    person at the desk sees why someone cannot be let in)."""
    words = [w for w in (text or "").split() if w][:4]
    if not words:
        return []
    columns = (Registration.full_name, Registration.organisation_name, Registration.email)
    conditions = [contains_text(columns, word) for word in words]
    query = (
        db.select(Registration)
        .where(Registration.event_id == event.id, and_(*conditions))
        .order_by(Registration.full_name, Registration.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def item_signups_checked_in(item: ProgrammeItem, registration_ids: list[int]) -> dict[int, ItemSignup]:
    if not registration_ids:
        return {}
    signups = db.session.scalars(
        db.select(ItemSignup).where(ItemSignup.item_id == item.id, ItemSignup.registration_id.in_(registration_ids))
    )
    return {s.registration_id: s for s in signups}
