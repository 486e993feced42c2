"""Profiles and the catalogue: who may see whom, and suggested matches with their reasons.

The rule of visibility: a participant sees the catalogue only with a visible profile of their
own (opted in and not hidden by the organisers) and an active registration; the catalogue shows
only such profiles of the same event. Nothing of it is public.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from forumapp.extensions import db
from forumapp.matchmaking.models import Category, Direction, Profile, ProfileEntry, ProfileStatus
from forumapp.registration.models import Registration
from forumapp.timeutil import utcnow

ACTIVE_REGISTRATION = ("pending", "confirmed", "waiting")


class NotOptedIn(Exception):
    """The viewer has no visible profile: the catalogue is not theirs to see."""


def profile_of(registration: Registration) -> Profile | None:
    return db.session.scalar(db.select(Profile).filter_by(registration_id=registration.id))


def may_browse(profile: Profile | None) -> bool:
    return (profile is not None and profile.status == ProfileStatus.VISIBLE
            and profile.registration.status in ACTIVE_REGISTRATION)


@dataclass
class EntryData:
    direction: str
    category: str
    text: str = ""
    volume: str = ""


@dataclass
class ProfileData:
    organisation: str
    kind: str
    about: dict
    regions: list[str]
    languages: list[str]
    not_before: object = None
    not_after: object = None
    prefer_from: object = None
    prefer_until: object = None
    entries: list[EntryData] = field(default_factory=list)


def save_profile(registration: Registration, data: ProfileData) -> Profile:
    """Opt in (first time) or change the profile. A profile the organisers hid stays hidden."""
    profile = profile_of(registration)
    if profile is None:
        profile = Profile(event_id=registration.event_id, registration=registration, created_at=utcnow())
        db.session.add(profile)
    profile.organisation = data.organisation
    profile.kind = data.kind
    profile.about = data.about
    profile.regions = data.regions
    profile.languages = data.languages
    profile.not_before, profile.not_after = data.not_before, data.not_after
    profile.prefer_from, profile.prefer_until = data.prefer_from, data.prefer_until
    profile.entries = [ProfileEntry(direction=e.direction, category=e.category, text=e.text, volume=e.volume)
                       for e in data.entries]
    db.session.commit()
    return profile


def withdraw(profile: Profile) -> None:
    """Opting out deletes the profile with its requests and meetings; the other side of each
    published meeting is told that it will not take place."""
    from forumapp.matchmaking import mail
    from forumapp.matchmaking.models import Meeting, MeetingRequest

    requests = db.session.scalars(db.select(MeetingRequest).where(
        db.or_(MeetingRequest.requester_id == profile.id, MeetingRequest.recipient_id == profile.id)))
    for request in requests:
        meeting: Meeting | None = request.meeting
        if meeting is not None and meeting.published_at is not None:
            other = request.recipient if request.requester_id == profile.id else request.requester
            mail.queue(other, "meeting_cancelled", meeting=meeting)
        # Deleted here, not left to ON DELETE CASCADE (SQLite without foreign keys ignores it).
        db.session.delete(request)
    db.session.flush()
    db.session.delete(profile)
    db.session.commit()


@dataclass
class Filters:
    text: str = ""
    category: str = ""
    direction: str = ""  # offer / seek: what the other side does
    region: str = ""
    kind: str = ""


def catalogue(viewer: Profile, filters: Filters) -> list[Profile]:
    """The other visible profiles of the viewer's event that pass the filters."""
    if not may_browse(viewer):
        raise NotOptedIn
    query = (
        db.select(Profile)
        .join(Registration, Registration.id == Profile.registration_id)
        .where(Profile.event_id == viewer.event_id, Profile.id != viewer.id,
               Profile.status == ProfileStatus.VISIBLE, Registration.status.in_(ACTIVE_REGISTRATION))
        .options(selectinload(Profile.entries))
        .order_by(Profile.organisation, Profile.id)
    )
    if filters.kind:
        query = query.where(Profile.kind == filters.kind)
    if filters.category or filters.direction:
        entry = db.select(ProfileEntry.profile_id)
        if filters.category:
            entry = entry.where(ProfileEntry.category == filters.category)
        if filters.direction:
            entry = entry.where(ProfileEntry.direction == filters.direction)
        query = query.where(Profile.id.in_(entry))
    profiles = list(db.session.scalars(query))
    if filters.region:
        needle = filters.region.casefold()
        profiles = [p for p in profiles if any(needle in r.casefold() for r in p.regions or [])]
    if filters.text:
        needle = filters.text.casefold()
        profiles = [p for p in profiles if needle in _haystack(p)]
    return profiles


def _haystack(profile: Profile) -> str:
    parts = [profile.organisation, *(profile.about or {}).values(), *(profile.regions or [])]
    parts += [f"{e.text} {e.volume}" for e in profile.entries]
    return " ".join(parts).casefold()


def visible_profile_or_none(viewer: Profile, profile_id: int) -> Profile | None:
    """Another participant's profile as the viewer may see it; None when it is not theirs to see."""
    if not may_browse(viewer):
        return None
    profile = db.session.get(Profile, profile_id)
    if (profile is None or profile.event_id != viewer.event_id or profile.id == viewer.id
            or not may_browse(profile)):
        return None
    return profile


@dataclass(frozen=True)
class Reason:
    """One reason two profiles match: `mine` offers/seeks `category`, and so does the other."""

    kind: str  # "you_offer" (you offer, they seek), "they_offer", "language"
    category: str = ""


@dataclass
class Match:
    profile: Profile
    score: int
    reasons: list[Reason]


def match(viewer: Profile, other: Profile) -> Match:
    """How well the two fit: each of one's offers in a category the other seeks counts 2 (both
    directions count), a shared language 1. The reasons are what the page explains."""
    mine_offer = {e.category for e in viewer.entries if e.direction == Direction.OFFER}
    mine_seek = {e.category for e in viewer.entries if e.direction == Direction.SEEK}
    their_offer = {e.category for e in other.entries if e.direction == Direction.OFFER}
    their_seek = {e.category for e in other.entries if e.direction == Direction.SEEK}
    order = [c.value for c in Category]
    reasons = [Reason("you_offer", c) for c in sorted(mine_offer & their_seek, key=order.index)]
    reasons += [Reason("they_offer", c) for c in sorted(their_offer & mine_seek, key=order.index)]
    score = 2 * len(reasons)
    if score and set(viewer.languages or []) & set(other.languages or []):
        reasons.append(Reason("language"))
        score += 1
    return Match(other, score, reasons)


def suggestions(viewer: Profile, limit: int = 10) -> list[Match]:
    """The best matches first; only profiles with at least one offer meeting a need."""
    matches = [match(viewer, p) for p in catalogue(viewer, Filters())]
    matches = [m for m in matches if m.score > 0]
    matches.sort(key=lambda m: (-m.score, m.profile.organisation, m.profile.id))
    return matches[:limit]


def set_status(profile: Profile, action: str) -> None:
    """The organisers' approve / hide / show."""
    if action == "approve":
        profile.approved_at = utcnow()
        profile.status = ProfileStatus.VISIBLE
    elif action == "hide":
        profile.status = ProfileStatus.HIDDEN
    elif action == "show":
        profile.status = ProfileStatus.VISIBLE
    else:
        raise ValueError(action)
    db.session.commit()
