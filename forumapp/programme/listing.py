"""What the public programme page shows, read as plain rows: one line per published item with
its title in the visitor's language, local times, hall, track and people. Building ORM objects
(items, their people, persons) and resolving titles and times inside the template cost the page
most of its time; this reads two narrow queries and resolves each value once."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.i18n import current_language, pick
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.timeutil import to_local


@dataclass(slots=True)
class ProgrammeLine:
    id: int
    kind: str
    title: str
    start: str  # "09:30", local time
    end: str
    hall: str
    track: str
    track_id: int | None
    hall_id: int | None = None
    colour: str | None = None  # the track's colour, "#rrggbb", checked
    start_minute: int = 0  # local minutes since midnight, for the grid
    end_minute: int = 0  # start_minute + duration (past 1440 when it ends after midnight)
    starts_ms: int = 0  # UTC milliseconds since the epoch, for "now" in the browser
    ends_ms: int = 0
    people: list[tuple[str, str, int]] = field(default_factory=list)  # (name, role, person id)
    # The description's paragraphs in the visitor's language, expandable under the item.
    description: list[str] = field(default_factory=list)


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def safe_colour(value: str | None) -> str | None:
    """A track's colour as CSS, or None: it goes into a style attribute."""
    return value.lower() if value and _COLOUR.fullmatch(value) else None


def programme_lines(event: Event) -> list[tuple[date, ProgrammeLine]]:
    """(local day, line) for each published item, in programme order."""
    lang = current_language()
    fallback = event.fallback_order
    halls = {h.id: pick(h.name, lang, fallback) for h in event.halls}
    tracks = {t.id: pick(t.name, lang, fallback) for t in event.tracks}
    colours = {t.id: safe_colour(t.color) for t in event.tracks}
    published = (ProgrammeItem.event_id == event.id) & (ProgrammeItem.status == "published")
    people = defaultdict(list)
    for item_id, role, name, person_id in db.session.execute(
        db.select(ItemPerson.item_id, ItemPerson.role, Person.name, Person.id)
        .join(Person, Person.id == ItemPerson.person_id)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .where(published)
        .order_by(ItemPerson.item_id, ItemPerson.position, ItemPerson.id)
    ):
        people[item_id].append((pick(name, lang, fallback), role, person_id))
    lines = []
    for row in db.session.execute(
        db.select(
            ProgrammeItem.id, ProgrammeItem.kind, ProgrammeItem.title, ProgrammeItem.starts_at,
            ProgrammeItem.ends_at, ProgrammeItem.hall_id, ProgrammeItem.track_id, ProgrammeItem.description,
        )
        .where(published)
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.hall_id, ProgrammeItem.id)
    ):
        start = to_local(row.starts_at, event.timezone)
        start_minute = start.hour * 60 + start.minute
        minutes = int((row.ends_at - row.starts_at).total_seconds() // 60)
        lines.append((start.date(), ProgrammeLine(
            id=row.id, kind=row.kind, title=pick(row.title, lang, fallback),
            start=start.strftime("%H:%M"), end=to_local(row.ends_at, event.timezone).strftime("%H:%M"),
            hall=halls.get(row.hall_id, ""), track=tracks.get(row.track_id, ""), track_id=row.track_id,
            hall_id=row.hall_id, colour=colours.get(row.track_id),
            start_minute=start_minute, end_minute=start_minute + max(minutes, 1),
            starts_ms=_epoch_ms(row.starts_at), ends_ms=_epoch_ms(row.ends_at),
            people=people.get(row.id, []),
            description=[p for p in pick(row.description or {}, lang, fallback).split("\n") if p.strip()],
        )))
    return lines


def _epoch_ms(utc) -> int:
    return int(utc.replace(tzinfo=UTC).timestamp() * 1000)
