"""Printed and calendar forms of the meetings: the participant's schedule (PDF, ICS), table
signs and the master schedule (PDF) for the organisers. Templates get plain rows, not ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import render_template
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from forumapp.documents.render import html_to_pdf
from forumapp.i18n import pick
from forumapp.matchmaking.models import MatchSession, Meeting, Profile
from forumapp.programme.models import Event
from forumapp.text import printable
from forumapp.timeutil import utcnow


@dataclass(frozen=True)
class Row:
    starts: datetime  # local
    ends: datetime
    table: int
    hall: str
    session: str
    first: str  # organisation (and person) of each side
    second: str
    meeting_id: int


def _side(profile: Profile) -> str:
    return f"{profile.organisation} ({profile.registration.full_name})"


def rows(event: Event, meetings: list[Meeting], viewer: Profile | None = None) -> list[Row]:
    out = []
    for meeting in meetings:
        if not meeting.is_placed:
            continue
        session: MatchSession = meeting.session
        request = meeting.request
        first, second = request.requester, request.recipient
        if viewer is not None and second.id == viewer.id:
            first, second = second, first
        out.append(Row(
            event.local(meeting.starts_at), event.local(meeting.starts_at + timedelta(minutes=session.slot_minutes)),
            meeting.table_number, session.hall.display_name if session.hall else "", session.display_name,
            _side(first), _side(second), meeting.id,
        ))
    return sorted(out, key=lambda r: (r.starts, r.table))


def personal_pdf(event: Event, profile: Profile, meetings: list[Meeting]) -> bytes:
    html = render_template("matchmaking/pdf/personal.html", event=event, profile=profile,
                           rows=rows(event, meetings, profile))
    return html_to_pdf(html).data


def personal_ics(event: Event, profile: Profile, meetings: list[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//forumapp//b2b//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", printable(pick(event.title, fallback=event.fallback_order), multiline=False))
    first = datetime.combine(event.starts_on, datetime.min.time()) - timedelta(days=1)
    last = datetime.combine(event.ends_on, datetime.min.time()) + timedelta(days=2)
    timezone = Timezone.from_tzid(event.timezone, first_date=first.date(), last_date=last.date())
    timezone.pop("COMMENT", None)
    calendar.add_component(timezone)
    stamp = utcnow().replace(tzinfo=UTC)
    for row in rows(event, meetings, profile):
        vevent = VEvent()
        vevent.add("uid", f"b2b-meeting-{row.meeting_id}@forumapp")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", row.starts)
        vevent.add("dtend", row.ends)
        vevent.add("summary", printable(f"B2B: {row.second}", multiline=False))
        location = ", ".join(filter(None, [row.hall, f"#{row.table}"]))
        vevent.add("location", printable(location, multiline=False))
        calendar.add_component(vevent)
    return calendar.to_ical()


def table_signs_pdf(event: Event, meetings: list[Meeting], sessions: list[MatchSession]) -> bytes:
    """One page per table and session: the table number, large, and its meetings by slot."""
    all_rows = rows(event, meetings)
    signs = []
    for session in sessions:
        for table in range(1, session.tables + 1):
            signs.append((session.display_name, table,
                          [r for r in all_rows if r.table == table and r.session == session.display_name]))
    html = render_template("matchmaking/pdf/signs.html", event=event, signs=signs)
    return html_to_pdf(html).data


def master_pdf(event: Event, meetings: list[Meeting]) -> bytes:
    html = render_template("matchmaking/pdf/master.html", event=event, rows=rows(event, meetings))
    return html_to_pdf(html).data
