"""The programme as plain data shared by the c3voc JSON and frab XML exports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from forumapp.i18n import pick
from forumapp.installation import installation_id
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.programme.services import days_with_items

# forumapp's namespace; the installation's own id goes into every name under it, so ids are
# unique across servers and stable for an item's lifetime (forumapp.installation).
GUID_NAMESPACE = uuid.UUID("8d6c6a38-5b7e-4f57-9a8b-3f1d2f1c0a11")

# c3voc "type" values for our kinds (free text in the format; these read well in schedule apps).
C3VOC_TYPES = {
    "opening": "ceremony",
    "plenary": "talk",
    "session": "talk",
    "round_table": "discussion",
    "panel": "discussion",
    "workshop": "workshop",
    "presentation": "talk",
    "award_ceremony": "ceremony",
    "collection_show": "show",
    "exhibition": "exhibition",
    "networking": "meeting",
    "break": "break",
}


def acronym(event: Event) -> str:
    """c3voc acronyms allow only a-z, 0-9 and _ after the first character."""
    return event.slug.replace("-", "_")


def _guid(kind: str, row_id: int) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{installation_id()}-{kind}-{row_id}"))


def item_guid(item: ProgrammeItem) -> str:
    return _guid("item", item.id)


def hall_guid(hall_id: int | None) -> str:
    return _guid("hall", hall_id or 0)


def person_guid(person_id: int) -> str:
    return _guid("person", person_id)


def feed_title(item: ProgrammeItem, title: str, cancelled_label: str) -> str:
    """The c3voc and frab formats have no status: a cancelled item says so in its title."""
    return f"{cancelled_label}: {title}" if item.status == "cancelled" else title


def duration(item: ProgrammeItem) -> str:
    minutes = int((item.ends_at - item.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class ScheduleItem:
    item: ProgrammeItem
    guid: str
    slug: str
    title: str
    abstract: str
    room: str
    track: str | None
    type: str
    start: datetime  # aware, event time zone
    end: datetime
    duration: str
    url: str
    persons: list[dict]


@dataclass
class ScheduleDay:
    index: int
    date: object
    day_start: datetime
    day_end: datetime
    rooms: dict[str, list[ScheduleItem]] = field(default_factory=dict)


def build_days(
    event: Event, items: list[ProgrammeItem], lang: str, base_url: str, no_hall: str, cancelled_label: str
) -> list[ScheduleDay]:
    fallback = event.fallback_order
    days = []
    room_names = [h.display_name for h in event.halls]
    for index, (day, day_items) in enumerate(days_with_items(event, items), start=1):
        start = event.local(_utc_of_local(event, day, time(0)))
        schedule_day = ScheduleDay(index, day, start, start + timedelta(days=1) - timedelta(seconds=1))
        for name in room_names:
            schedule_day.rooms[name] = []
        for item in day_items:
            room = pick(item.hall.name, lang, fallback) if item.hall else no_hall
            schedule_day.rooms.setdefault(room, []).append(
                ScheduleItem(
                    item=item,
                    guid=item_guid(item),
                    slug=f"{acronym(event)}-{item.id}-{item.kind}",
                    title=feed_title(item, pick(item.title, lang, fallback), cancelled_label),
                    abstract=pick(item.description, lang, fallback),
                    room=room,
                    track=pick(item.track.name, lang, fallback) if item.track else None,
                    type=C3VOC_TYPES[item.kind],
                    start=item.local_start,
                    end=item.local_end,
                    duration=duration(item),
                    url=f"{base_url}e/{event.slug}/items/{item.id}",
                    persons=[
                        {"guid": person_guid(p.person_id), "name": pick(p.person.name, lang, fallback), "role": p.role}
                        for p in item.people
                    ],
                )
            )
        days.append(schedule_day)
    return days


def _utc_of_local(event: Event, day, at: time) -> datetime:
    from forumapp.timeutil import to_utc

    return to_utc(datetime.combine(day, at), event.timezone)
