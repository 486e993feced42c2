"""frab schedule XML (c3voc schedule.xml.xsd), the older sibling of the JSON format."""

from __future__ import annotations

from lxml import etree

from forumapp.caching.versions import schedule_version
from forumapp.i18n import pick
from forumapp.programme.exports.schedule_data import acronym, build_days, hall_guid
from forumapp.programme.models import Event, ProgrammeItem


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def schedule_xml(event: Event, items: list[ProgrammeItem], lang: str, base_url: str, no_hall: str) -> bytes:
    fallback = event.fallback_order
    root = etree.Element("schedule")
    _sub(root, "generator", name="forumapp", version="1")
    _sub(root, "url", f"{base_url}e/{event.slug}/schedule.xml")
    _sub(root, "version", schedule_version(event))
    conference = _sub(root, "conference")
    _sub(conference, "acronym", acronym(event))
    _sub(conference, "title", pick(event.title, lang, fallback))
    _sub(conference, "start", event.starts_on.isoformat())
    _sub(conference, "end", event.ends_on.isoformat())
    _sub(conference, "days", str(len(event.days)))
    _sub(conference, "timeslot_duration", "00:05")
    _sub(conference, "base_url", base_url)
    _sub(conference, "url", f"{base_url}e/{event.slug}/")
    _sub(conference, "time_zone_name", event.timezone)
    halls = {pick(h.name, lang, fallback): h.id for h in event.halls}
    for day in build_days(event, items, lang, base_url, no_hall):
        day_el = _sub(
            root, "day", date=day.date.isoformat(), start=day.day_start.isoformat(), end=day.day_end.isoformat(), index=day.index
        )
        for room, entries in day.rooms.items():
            room_el = _sub(day_el, "room", name=room, guid=hall_guid(halls.get(room)))
            for entry in entries:
                event_el = _sub(room_el, "event", id=entry.item.id, guid=entry.guid)
                _sub(event_el, "room", room)
                _sub(event_el, "title", entry.title)
                _sub(event_el, "subtitle", "")
                _sub(event_el, "type", entry.type)
                _sub(event_el, "date", entry.start.isoformat())
                _sub(event_el, "start", entry.start.strftime("%H:%M"))
                _sub(event_el, "duration", entry.duration)
                _sub(event_el, "abstract", entry.abstract)
                _sub(event_el, "slug", entry.slug)
                _sub(event_el, "track", entry.track or "")
                persons = _sub(event_el, "persons")
                for person in entry.persons:
                    _sub(persons, "person", person["name"], guid=person["guid"])
                _sub(event_el, "language", lang)
                _sub(event_el, "url", entry.url)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
