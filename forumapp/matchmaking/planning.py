"""The scheduler against the database: the event's slots, what blocks each participant, running
it, publishing, placing a later acceptance, and the organiser's manual moves with warnings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import selectinload

from forumapp.extensions import db
from forumapp.matchmaking import mail, scheduling
from forumapp.matchmaking.models import MatchSession, Meeting, MeetingRequest, Profile, RequestStatus, Slot
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration.models import ItemSignup
from forumapp.timeutil import utcnow


class PlanningError(Exception):
    pass


class CellTaken(PlanningError):
    """The table is already used in that slot."""


class NoSuchCell(PlanningError):
    pass


def sessions_of(event: Event) -> list[MatchSession]:
    return list(db.session.scalars(
        db.select(MatchSession).filter_by(event_id=event.id).order_by(MatchSession.starts_at, MatchSession.id)))


def event_slots(event: Event) -> tuple[list[Slot], dict[int, MatchSession]]:
    sessions = sessions_of(event)
    slots = sorted((s for session in sessions for s in session.slots()), key=lambda s: (s.starts_at, s.session_id))
    return slots, {s.id: s for s in sessions}


def accepted_meetings(event: Event) -> list[Meeting]:
    return list(db.session.scalars(
        db.select(Meeting).join(MeetingRequest).where(Meeting.event_id == event.id,
                                                      MeetingRequest.status == RequestStatus.ACCEPTED)
        .options(selectinload(Meeting.request)).order_by(MeetingRequest.answered_at, Meeting.id)))


def _preferred(event: Event, slots: list[Slot], profiles: list[Profile]) -> dict[int, set[int]]:
    """Slots inside each participant's preferred hours (a soft rule: tried first)."""
    out = {}
    for profile in profiles:
        if profile.prefer_from is None and profile.prefer_until is None:
            continue
        out[profile.id] = {
            i for i, slot in enumerate(slots)
            if (profile.prefer_from is None or event.local(slot.starts_at).time() >= profile.prefer_from)
            and (profile.prefer_until is None or event.local(slot.ends_at).time() <= profile.prefer_until)
        }
    return out


def _blocked(event: Event, slots: list[Slot], profile_ids: set[int]) -> dict[int, set[int]]:
    """Slots each participant cannot meet in: their confirmed programme sign-ups, and their own
    "not before / not after" times."""
    profiles = {p.id: p for p in db.session.scalars(db.select(Profile).where(Profile.id.in_(profile_ids)))}
    by_registration = {p.registration_id: p.id for p in profiles.values()}
    busy: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        db.select(ItemSignup.registration_id, ProgrammeItem.starts_at, ProgrammeItem.ends_at)
        .join(ProgrammeItem, ProgrammeItem.id == ItemSignup.item_id)
        .where(ItemSignup.registration_id.in_(by_registration), ItemSignup.status == "confirmed",
               ProgrammeItem.status != "cancelled"))
    for registration_id, starts, ends in rows:
        busy[by_registration[registration_id]].append((starts, ends))
    times = [(s.starts_at, s.ends_at) for s in slots]
    blocked: dict[int, set[int]] = {}
    for profile_id, profile in profiles.items():
        cannot = scheduling.blocked_slots(times, busy.get(profile_id, []))
        for index, slot in enumerate(slots):
            start, end = event.local(slot.starts_at).time(), event.local(slot.ends_at).time()
            if (profile.not_before and start < profile.not_before) or (profile.not_after and end > profile.not_after):
                cannot.add(index)
        if cannot:
            blocked[profile_id] = cannot
    return blocked


@dataclass
class Plan:
    """The problem as the scheduler sees it, and how to go back from its numbers to rows."""

    problem: scheduling.Problem
    slots: list[Slot]
    meetings: dict[int, Meeting]

    def cell_of(self, meeting: Meeting) -> tuple[int, int] | None:
        if not meeting.is_placed:
            return None
        index = self.slot_index.get((meeting.session_id, meeting.starts_at))
        return None if index is None else (index, meeting.table_number)

    @property
    def slot_index(self) -> dict[tuple[int, datetime], int]:
        return {(s.session_id, s.starts_at): i for i, s in enumerate(self.slots)}


def plan_for(event: Event, *, keep=lambda meeting: meeting.published_at is not None) -> Plan:
    """`keep` says which placed meetings stay where they are (the published ones by default)."""
    slots, sessions = event_slots(event)
    meetings = {m.id: m for m in accepted_meetings(event)}
    profile_ids = {p for m in meetings.values() for p in (m.request.requester_id, m.request.recipient_id)}
    slot_tables = tuple(tuple(range(1, sessions[s.session_id].tables + 1)) for s in slots)
    plan = Plan(scheduling.Problem(len(slots), (), {}, {}, slot_tables=slot_tables), slots, meetings)
    index = plan.slot_index
    fixed = {}
    for meeting in meetings.values():
        cell = (index.get((meeting.session_id, meeting.starts_at)), meeting.table_number)
        if keep(meeting) and meeting.is_placed and cell[0] is not None:
            fixed[meeting.id] = cell
    profiles = list(db.session.scalars(db.select(Profile).where(Profile.id.in_(profile_ids))))
    plan.problem = scheduling.Problem(
        len(slots), (), {m.id: (m.request.requester_id, m.request.recipient_id) for m in meetings.values()},
        _blocked(event, slots, profile_ids), _preferred(event, slots, profiles), fixed=fixed, slot_tables=slot_tables,
    )
    return plan


def _apply(plan: Plan, placed: dict[int, tuple[int, int]]) -> None:
    # Clear the cells first so that the unique (session, start, table) never sees two rows at
    # once while meetings swap places.
    for meeting_id, meeting in plan.meetings.items():
        if meeting_id not in plan.problem.fixed:
            meeting.session_id = meeting.starts_at = meeting.table_number = None
    db.session.flush()
    for meeting_id, (slot, table) in placed.items():
        if meeting_id in plan.problem.fixed:
            continue
        meeting = plan.meetings[meeting_id]
        meeting.session_id, meeting.starts_at, meeting.table_number = (
            plan.slots[slot].session_id, plan.slots[slot].starts_at, table)


def run(event: Event) -> scheduling.Result:
    """Place every accepted meeting that is not published; published ones keep their cell."""
    plan = plan_for(event)
    result = scheduling.schedule(plan.problem)
    _apply(plan, result.placed)
    db.session.commit()
    return result


def publish(event: Event) -> int:
    """Publish every placed meeting and tell both sides of each newly published one."""
    now = utcnow()
    newly = [m for m in accepted_meetings(event) if m.is_placed and m.published_at is None]
    for meeting in newly:
        meeting.published_at = now
    for profile in {p for m in newly for p in (m.request.requester, m.request.recipient)}:
        mail.queue(profile, "schedule")
    db.session.commit()
    return len(newly)


def is_published(event: Event) -> bool:
    return db.session.scalar(db.select(db.func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.published_at.is_not(None))) > 0


def place_new(meeting: Meeting) -> bool:
    """A meeting accepted after publishing goes into a free cell at once (nothing published
    moves) and is published, and both sides are told. Before publishing it waits for the run.

    Only the two participants' constraints matter here, so the other meetings are read as plain
    rows (no ORM objects): this runs inside the participant's request."""
    event = meeting.event
    if not is_published(event):
        return False
    if db.engine.dialect.name == "postgresql" and current_app.config.get("MATCHMAKING_LOCK", True):
        # Two acceptances at once would otherwise both see the same free cell (or the same free
        # slot of a shared participant): the event's session rows are the lock, held to commit.
        db.session.execute(db.select(MatchSession.id).filter_by(event_id=event.id)
                           .order_by(MatchSession.id).with_for_update())
    slots, sessions = event_slots(event)
    index = {(s.session_id, s.starts_at): i for i, s in enumerate(slots)}
    rows = db.session.execute(
        db.select(Meeting.id, Meeting.session_id, Meeting.starts_at, Meeting.table_number,
                  MeetingRequest.requester_id, MeetingRequest.recipient_id)
        .join(MeetingRequest, MeetingRequest.id == Meeting.request_id)
        .where(Meeting.event_id == event.id, Meeting.table_number.is_not(None), Meeting.id != meeting.id))
    meetings, fixed = {}, {}
    for meeting_id, session_id, starts_at, table, requester_id, recipient_id in rows:
        slot = index.get((session_id, starts_at))
        if slot is not None:
            meetings[meeting_id], fixed[meeting_id] = (requester_id, recipient_id), (slot, table)
    pair = (meeting.request.requester_id, meeting.request.recipient_id)
    meetings[meeting.id] = pair
    problem = scheduling.Problem(
        len(slots), (), meetings, _blocked(event, slots, set(pair)),
        _preferred(event, slots, [meeting.request.requester, meeting.request.recipient]), fixed=fixed,
        slot_tables=tuple(tuple(range(1, sessions[s.session_id].tables + 1)) for s in slots))
    cell = scheduling.place_one(problem, meeting.id)
    if cell is None:
        return False
    slot, table = cell
    meeting.session_id, meeting.starts_at, meeting.table_number = slots[slot].session_id, slots[slot].starts_at, table
    meeting.published_at = utcnow()
    for profile in (meeting.request.requester, meeting.request.recipient):
        mail.queue(profile, "meeting_placed", meeting=meeting)
    return True


def warnings(event: Event, plan: Plan | None = None) -> list[tuple[Meeting, str]]:
    """Placed meetings that break a rule (after manual moves): double booking, a sign-up or a
    preference in the way. Tables used twice cannot happen (the database refuses them)."""
    plan = plan or plan_for(event, keep=lambda m: False)
    out = []
    busy: dict[tuple[int, int], Meeting] = {}
    for meeting in plan.meetings.values():
        cell = plan.cell_of(meeting)
        if cell is None:
            continue
        for person in (meeting.request.requester, meeting.request.recipient):
            if cell[0] in plan.problem.blocked.get(person.id, ()):
                out.append((meeting, "blocked:" + person.organisation))
            other = busy.get((person.id, cell[0]))
            if other is not None:
                out.append((meeting, "double:" + person.organisation))
            busy[(person.id, cell[0])] = meeting
    return out


def move(meeting: Meeting, session: MatchSession, starts_at: datetime, table: int) -> list[tuple[Meeting, str]]:
    """The organiser puts a meeting into a cell by hand. A used table or a cell that does not
    exist is refused; other broken rules are allowed and returned as warnings. A published
    meeting that moves is e-mailed to both sides."""
    if not 1 <= table <= session.tables or all(s.starts_at != starts_at for s in session.slots()):
        raise NoSuchCell
    taken = db.session.scalar(db.select(Meeting.id).where(
        Meeting.session_id == session.id, Meeting.starts_at == starts_at, Meeting.table_number == table,
        Meeting.id != meeting.id))
    if taken is not None:
        raise CellTaken
    meeting.session_id, meeting.starts_at, meeting.table_number = session.id, starts_at, table
    if meeting.published_at is not None:
        for profile in (meeting.request.requester, meeting.request.recipient):
            mail.queue(profile, "meeting_moved", meeting=meeting)
    db.session.commit()
    return [w for w in warnings(meeting.event) if w[0].id == meeting.id]
