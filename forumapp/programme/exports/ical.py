"""iCalendar (RFC 5545): one VEVENT per item, local times with the event's VTIMEZONE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from forumapp.i18n import pick
from forumapp.programme.exports.schedule_data import item_guid
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.text import printable
from forumapp.timeutil import utcnow


def _line(text: str) -> str:
    """RFC 5545 TEXT allows no control characters; icalendar escapes line breaks, not those."""
    return printable(text, multiline=False)


def programme_calendar(event: Event, items: list[ProgrammeItem], lang: str, base_url: str, role_labels: dict) -> bytes:
    fallback = event.fallback_order
    calendar = Calendar()
    calendar.add("prodid", "-//forumapp//programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _line(pick(event.title, lang, fallback)))
    calendar.add("x-wr-timezone", event.timezone)
    first = datetime.combine(event.starts_on, datetime.min.time()) - timedelta(days=1)
    last = datetime.combine(event.ends_on, datetime.min.time()) + timedelta(days=2)
    timezone = Timezone.from_tzid(event.timezone, first_date=first.date(), last_date=last.date())
    # icalendar notes the covered dates in a COMMENT, which iTIP (RFC 5546) does not allow in a
    # VTIMEZONE: libical-based programs report the calendar as invalid.
    timezone.pop("COMMENT", None)
    calendar.add_component(timezone)
    stamp = utcnow()
    for item in items:
        vevent = VEvent()
        vevent.add("uid", f"{item_guid(item)}@forumapp")
        vevent.add("sequence", item.sequence)
        vevent.add("dtstamp", stamp.replace(tzinfo=UTC))
        vevent.add("dtstart", item.local_start)
        vevent.add("dtend", item.local_end)
        vevent.add("summary", _line(pick(item.title, lang, fallback)))
        people = [
            f"{pick(p.person.name, lang, fallback)} ({role_labels.get(p.role, p.role)})" for p in item.people
        ]
        description = "\n".join(filter(None, [pick(item.description, lang, fallback), ", ".join(people)]))
        if description:
            vevent.add("description", printable(description))
        if item.hall:
            vevent.add("location", _line(pick(item.hall.name, lang, fallback)))
        vevent.add("url", f"{base_url}e/{event.slug}/items/{item.id}")
        vevent.add("categories", [item.kind])
        # Items cancelled after they were published stay in the feed, so calendars that
        # subscribed remove them (services.feed_items).
        vevent.add("status", "CANCELLED" if item.status == "cancelled" else "CONFIRMED")
        calendar.add_component(vevent)
    return calendar.to_ical()
