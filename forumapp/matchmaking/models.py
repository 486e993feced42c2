"""B2B matchmaking: participants' profiles (what they offer and seek), the organiser's sessions
of numbered tables and time slots, meeting requests between participants, and the meetings the
scheduler places at a table in a slot. Times are naive UTC, like the programme's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event, Hall
from forumapp.registration.models import Registration
from forumapp.timeutil import to_utc, utcnow

__all__ = [
    "Category", "Direction", "OrganisationKind", "ProfileStatus", "RequestStatus", "Attendance", "Outcome",
    "Profile", "ProfileEntry", "MatchSession", "MeetingRequest", "Meeting", "Slot",
]


def _values(enum) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


class Category(StrEnum):
    SCHOOL_UNIFORM = "school_uniform"
    WORKWEAR = "workwear"
    FABRICS = "fabrics"
    LEATHER_FOOTWEAR = "leather_footwear"
    CONTRACT_MANUFACTURING = "contract_manufacturing"
    EQUIPMENT = "equipment"
    LOGISTICS = "logistics"
    EXPORT = "export"
    INVESTMENT = "investment"
    PUBLIC_PROCUREMENT = "public_procurement"
    OTHER = "other"


class Direction(StrEnum):
    OFFER = "offer"
    SEEK = "seek"


class OrganisationKind(StrEnum):
    PRODUCER = "producer"
    BUYER = "buyer"
    CONSORTIUM = "consortium"
    ASSOCIATION = "association"
    GOVERNMENT = "government"
    INVESTOR = "investor"
    OTHER = "other"


class ProfileStatus(StrEnum):
    VISIBLE = "visible"  # in the catalogue of the other opted-in participants
    HIDDEN = "hidden"  # hidden by an organiser: not in the catalogue, cannot be asked for meetings


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    UNKNOWN = "unknown"
    HELD = "held"
    NO_SHOW = "no_show"


class Outcome(StrEnum):
    NONE = "none"  # not reported yet
    NO_FOLLOW_UP = "no_follow_up"
    FOLLOW_UP = "follow_up"
    CONTRACT = "contract"


LANGUAGES = ("kk", "ru", "en")


class Profile(db.Model):
    """A registration's opt-in to matchmaking at its event."""

    __tablename__ = "match_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default=OrganisationKind.OTHER.value)
    # {"kk","ru","en"}: the participant writes in the languages they want.
    about: Mapped[dict] = mapped_column(JSON, default=dict)
    regions: Mapped[list] = mapped_column(JSON, default=list)  # free text, e.g. "Almaty", "Shymkent"
    languages: Mapped[list] = mapped_column(JSON, default=list)  # subset of LANGUAGES
    # Hard preferences, local wall-clock time: no meeting before / after.
    not_before: Mapped[time | None]
    not_after: Mapped[time | None]
    # Soft preference, local wall-clock time: the scheduler tries slots inside it first.
    prefer_from: Mapped[time | None]
    prefer_until: Mapped[time | None]
    status: Mapped[str] = mapped_column(String(20), default=ProfileStatus.VISIBLE.value)
    approved_at: Mapped[datetime | None]  # an organiser checked it (shown as "verified")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration] = relationship()
    entries: Mapped[list[ProfileEntry]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileEntry.id"
    )

    __table_args__ = (
        CheckConstraint(f"status IN {_values(ProfileStatus)!r}", name="known_status"),
        CheckConstraint(f"kind IN {_values(OrganisationKind)!r}", name="known_kind"),
    )

    @property
    def display_about(self) -> str:
        return pick(self.about)

    def offers(self) -> list[ProfileEntry]:
        return [e for e in self.entries if e.direction == Direction.OFFER]

    def seeks(self) -> list[ProfileEntry]:
        return [e for e in self.entries if e.direction == Direction.SEEK]


class ProfileEntry(db.Model):
    """One thing a profile offers or seeks, in a category."""

    __tablename__ = "match_profile_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("match_profile.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500), default="")
    volume: Mapped[str] = mapped_column(String(200), default="")  # capacity or quantity, free text

    profile: Mapped[Profile] = relationship(back_populates="entries")

    __table_args__ = (
        CheckConstraint(f"direction IN {_values(Direction)!r}", name="known_direction"),
        CheckConstraint(f"category IN {_values(Category)!r}", name="known_category"),
    )


@dataclass(frozen=True)
class Slot:
    session_id: int
    starts_at: datetime  # naive UTC
    ends_at: datetime


class MatchSession(db.Model):
    """A block of meetings on one day: a hall with numbered tables, a time window cut into slots
    of equal length, minus breaks."""

    __tablename__ = "match_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    slot_minutes: Mapped[int] = mapped_column(default=20)
    tables: Mapped[int] = mapped_column(default=10)  # numbered 1..tables
    # [["12:30", "13:30"], ...] local wall-clock times in which no slot starts or runs.
    breaks: Mapped[list] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship()
    hall: Mapped[Hall | None] = relationship()

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("slot_minutes >= 5 AND slot_minutes <= 240", name="slot_length"),
        CheckConstraint("tables >= 1 AND tables <= 500", name="table_count"),
    )

    @property
    def display_name(self) -> str:
        return pick(self.name)

    def break_intervals(self) -> list[tuple[datetime, datetime]]:
        day = self.event.local(self.starts_at).date()
        out = []
        for start, end in self.breaks or []:
            s = datetime.combine(day, time.fromisoformat(start))
            e = datetime.combine(day, time.fromisoformat(end))
            out.append((to_utc(s, self.event.timezone), to_utc(e, self.event.timezone)))
        return out

    def slots(self) -> list[Slot]:
        step = timedelta(minutes=self.slot_minutes)
        breaks = self.break_intervals()
        out, start = [], self.starts_at
        while start + step <= self.ends_at:
            end = start + step
            clash = next((e for s, e in breaks if s < end and start < e), None)
            if clash is not None:  # start again when the break is over
                start = clash
                continue
            out.append(Slot(self.id, start, end))
            start = end
        return out


class MeetingRequest(db.Model):
    __tablename__ = "meeting_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("match_profile.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("match_profile.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    requester: Mapped[Profile] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[Profile] = relationship(foreign_keys=[recipient_id])
    meeting: Mapped[Meeting | None] = relationship(back_populates="request", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint(f"status IN {_values(RequestStatus)!r}", name="known_status"),
        CheckConstraint("requester_id <> recipient_id", name="not_self"),
        UniqueConstraint("requester_id", "recipient_id", name="one_per_pair"),
    )


class Meeting(db.Model):
    """An accepted request; placed when it has a session, a start and a table."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"), unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("match_session.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime | None]  # naive UTC, the slot's start
    table_number: Mapped[int | None]
    # Set when the organiser publishes: from then on the meeting keeps its cell unless moved by
    # hand, and both sides are e-mailed about any change.
    published_at: Mapped[datetime | None]
    attendance: Mapped[str] = mapped_column(String(10), default=Attendance.UNKNOWN.value)
    requester_outcome: Mapped[str] = mapped_column(String(20), default=Outcome.NONE.value)
    recipient_outcome: Mapped[str] = mapped_column(String(20), default=Outcome.NONE.value)

    event: Mapped[Event] = relationship()
    request: Mapped[MeetingRequest] = relationship(back_populates="meeting")
    session: Mapped[MatchSession | None] = relationship()

    __table_args__ = (
        CheckConstraint(f"attendance IN {_values(Attendance)!r}", name="known_attendance"),
        CheckConstraint(f"requester_outcome IN {_values(Outcome)!r}", name="known_requester_outcome"),
        CheckConstraint(f"recipient_outcome IN {_values(Outcome)!r}", name="known_recipient_outcome"),
        # The database's own guard: a table once per slot.
        UniqueConstraint("session_id", "starts_at", "table_number", name="table_once_per_slot"),
        Index("ix_meeting_session_start", "session_id", "starts_at"),
    )

    @property
    def is_placed(self) -> bool:
        return self.session_id is not None and self.starts_at is not None and self.table_number is not None
