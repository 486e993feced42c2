"""Meeting requests and their answers, what happens at the door, outcomes, and the figures an
organiser reports."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import selectinload

from forumapp.extensions import db
from forumapp.matchmaking import mail, planning
from forumapp.matchmaking.models import (
    Attendance,
    Meeting,
    MeetingRequest,
    Outcome,
    Profile,
    RequestStatus,
)
from forumapp.matchmaking.profiles import may_browse
from forumapp.timeutil import utcnow


class RequestError(Exception):
    pass


class AlreadyAsked(RequestError):
    """The two already have a request between them, in either direction."""


class NotAllowed(RequestError):
    pass


def between(a: Profile, b: Profile) -> MeetingRequest | None:
    return db.session.scalar(db.select(MeetingRequest).where(db.or_(
        db.and_(MeetingRequest.requester_id == a.id, MeetingRequest.recipient_id == b.id),
        db.and_(MeetingRequest.requester_id == b.id, MeetingRequest.recipient_id == a.id))))


def ask(requester: Profile, recipient: Profile, message: str) -> MeetingRequest:
    if not (may_browse(requester) and may_browse(recipient)) or requester.id == recipient.id \
            or requester.event_id != recipient.event_id:
        raise NotAllowed
    if between(requester, recipient) is not None:
        raise AlreadyAsked
    request = MeetingRequest(event_id=requester.event_id, requester=requester, recipient=recipient,
                             message=message.strip(), status=RequestStatus.PENDING, created_at=utcnow())
    db.session.add(request)
    mail.queue(recipient, "request_received", request=request)
    db.session.commit()
    return request


def answer(recipient: Profile, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """Only the recipient answers, once. An acceptance becomes a meeting; if the schedule is
    already published it gets a free table at once."""
    if request.recipient_id != recipient.id or not may_browse(recipient):
        raise NotAllowed
    if request.status != RequestStatus.PENDING:
        raise RequestError
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = utcnow()
    if accept:
        meeting = Meeting(event_id=request.event_id, request=request)
        db.session.add(meeting)
        db.session.flush()
        planning.place_new(meeting)
    mail.queue(request.requester, "request_accepted" if accept else "request_declined", request=request)
    db.session.commit()
    return request


def withdraw(requester: Profile, request: MeetingRequest) -> None:
    """The requester takes back a request not yet answered."""
    if request.requester_id != requester.id:
        raise NotAllowed
    if request.status != RequestStatus.PENDING:
        raise RequestError
    request.status = RequestStatus.CANCELLED
    db.session.commit()


def requests_of(profile: Profile) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent), newest first."""
    query = db.select(MeetingRequest).options(selectinload(MeetingRequest.meeting)).order_by(
        MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
    received = list(db.session.scalars(query.where(MeetingRequest.recipient_id == profile.id)))
    sent = list(db.session.scalars(query.where(MeetingRequest.requester_id == profile.id)))
    return received, sent


def published_meetings_of(profile: Profile) -> list[Meeting]:
    """The participant's own schedule: published meetings only (a draft run may still change)."""
    return list(db.session.scalars(
        db.select(Meeting).join(MeetingRequest)
        .where(db.or_(MeetingRequest.requester_id == profile.id, MeetingRequest.recipient_id == profile.id),
               MeetingRequest.status == RequestStatus.ACCEPTED, Meeting.published_at.is_not(None))
        .order_by(Meeting.starts_at, Meeting.id)))


def other_side(meeting: Meeting, profile: Profile) -> Profile:
    request = meeting.request
    return request.recipient if request.requester_id == profile.id else request.requester


def report_outcome(profile: Profile, meeting: Meeting, outcome: str) -> None:
    if outcome not in {o.value for o in Outcome} or profile.id not in (meeting.request.requester_id,
                                                                        meeting.request.recipient_id):
        raise NotAllowed
    if meeting.request.requester_id == profile.id:
        meeting.requester_outcome = outcome
    else:
        meeting.recipient_outcome = outcome
    db.session.commit()


def mark_attendance(meeting: Meeting, attendance: str) -> None:
    if attendance not in {a.value for a in Attendance} or not meeting.is_placed:
        raise NotAllowed
    meeting.attendance = attendance
    db.session.commit()


OUTCOME_RANK = {Outcome.NONE: 0, Outcome.NO_FOLLOW_UP: 1, Outcome.FOLLOW_UP: 2, Outcome.CONTRACT: 3}


def figures(event) -> dict:
    """Requested, accepted, declined, placed, held, no-shows; outcomes (the better of the two
    sides' reports) overall and by category of what the requester's partner offers."""
    requests = list(db.session.scalars(db.select(MeetingRequest).filter_by(event_id=event.id)
                                       .options(selectinload(MeetingRequest.meeting))))
    status = Counter(r.status for r in requests)
    meetings = [r.meeting for r in requests if r.meeting is not None and r.status == RequestStatus.ACCEPTED]
    outcomes: Counter = Counter()
    by_category: dict[str, Counter] = {}
    for meeting in meetings:
        best = max((meeting.requester_outcome, meeting.recipient_outcome), key=lambda o: OUTCOME_RANK[Outcome(o)])
        outcomes[best] += 1
        request = meeting.request
        categories = ({e.category for e in request.requester.entries} & {e.category for e in request.recipient.entries}) \
            or {"other"}
        for category in categories:
            by_category.setdefault(category, Counter())[best] += 1
            by_category[category]["meetings"] += 1
    return {
        "requested": len(requests),
        "accepted": status[RequestStatus.ACCEPTED],
        "declined": status[RequestStatus.DECLINED],
        "pending": status[RequestStatus.PENDING],
        "placed": sum(1 for m in meetings if m.is_placed),
        "published": sum(1 for m in meetings if m.published_at is not None),
        "held": sum(1 for m in meetings if m.attendance == Attendance.HELD),
        "no_show": sum(1 for m in meetings if m.attendance == Attendance.NO_SHOW),
        "outcomes": outcomes,
        "by_category": dict(sorted(by_category.items())),
    }
