"""c3voc schedule JSON (https://c3voc.de/schedule/schema.json), read by schedule apps."""

from __future__ import annotations

from forumapp.caching.versions import schedule_version
from forumapp.i18n import pick
from forumapp.programme.exports.schedule_data import acronym, build_days, hall_guid
from forumapp.programme.models import Event, ProgrammeItem

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def schedule_json(event: Event, items: list[ProgrammeItem], lang: str, base_url: str, no_hall: str) -> dict:
    fallback = event.fallback_order
    days = build_days(event, items, lang, base_url, no_hall)
    halls = {pick(h.name, lang, fallback): h for h in event.halls}
    room_names = list(dict.fromkeys([*halls, *(name for d in days for name in d.rooms)]))
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "forumapp", "version": "1"},
        "schedule": {
            "version": schedule_version(event),
            "base_url": base_url,
            "conference": {
                "acronym": acronym(event),
                "title": pick(event.title, lang, fallback),
                "start": event.starts_on.isoformat(),
                "end": event.ends_on.isoformat(),
                "daysCount": len(event.days),
                "timeslot_duration": "00:05",
                "time_zone_name": event.timezone,
                "url": f"{base_url}e/{event.slug}/",
                "tracks": [{"name": pick(t.name, lang, fallback), "color": t.color} for t in event.tracks],
                "rooms": [
                    {
                        "name": name,
                        "guid": hall_guid(halls[name].id if name in halls else None),
                        "capacity": halls[name].capacity if name in halls else None,
                    }
                    for name in room_names
                ],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.day_start.isoformat(),
                        "day_end": day.day_end.isoformat(),
                        "rooms": {
                            room: [
                                {
                                    "id": entry.item.id,
                                    "guid": entry.guid,
                                    "date": entry.start.isoformat(),
                                    "start": entry.start.strftime("%H:%M"),
                                    "duration": entry.duration,
                                    "room": room,
                                    "slug": entry.slug,
                                    "url": entry.url,
                                    "title": entry.title,
                                    "subtitle": "",
                                    "track": entry.track,
                                    "type": entry.type,
                                    "language": lang,
                                    "abstract": entry.abstract,
                                    "description": "",
                                    "persons": [{"guid": p["guid"], "name": p["name"]} for p in entry.persons],
                                    "links": [],
                                }
                                for entry in entries
                            ]
                            for room, entries in day.rooms.items()
                        },
                    }
                    for day in days
                ],
            },
        },
    }
