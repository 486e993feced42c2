"""Matchmaking objects for the access matrix's world: the participant with the private link has
a profile, a partner, an accepted and published meeting, and a session of tables."""

from __future__ import annotations

from datetime import timedelta

from forumapp.extensions import db
from forumapp.matchmaking.models import (
    MatchSession,
    Meeting,
    MeetingRequest,
    Profile,
    ProfileEntry,
    RequestStatus,
)
from forumapp.registration import newcomers
from forumapp.registration import services as registration
from forumapp.timeutil import utcnow


def matchmaking_world(event, participant, category_id) -> dict:
    partner, _ = newcomers.register(event, registration.Applicant(
        full_name="Partner", email="partner@example.kz", consent=True, category_id=category_id, locale="ru"))
    mine = Profile(event_id=event.id, registration_id=participant.id, organisation="Mine LLP",
                   entries=[ProfileEntry(direction="offer", category="workwear", text="Suits")])
    theirs = Profile(event_id=event.id, registration_id=partner.id, organisation="Theirs LLP",
                     entries=[ProfileEntry(direction="seek", category="workwear", text="Suits")])
    db.session.add_all([mine, theirs])
    db.session.flush()
    first = min(item.starts_at for item in event.items) if event.items else utcnow()
    session = MatchSession(event_id=event.id, name={"en": "B2B"}, starts_at=first + timedelta(hours=8),
                           ends_at=first + timedelta(hours=9), slot_minutes=20, tables=3)
    db.session.add(session)
    request = MeetingRequest(event_id=event.id, requester_id=theirs.id, recipient_id=mine.id, message="Hello",
                             status=RequestStatus.ACCEPTED, answered_at=utcnow())
    db.session.add(request)
    db.session.flush()
    meeting = Meeting(event_id=event.id, request_id=request.id, session_id=session.id, starts_at=session.starts_at,
                      table_number=1, published_at=utcnow())
    db.session.add(meeting)
    db.session.commit()
    return {"profile_id": theirs.id, "session_id": session.id, "request_id": request.id, "meeting_id": meeting.id}
