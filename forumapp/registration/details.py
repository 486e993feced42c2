"""What a participant is told about the event they registered for: where (with a map link), when,
which items they signed up for, and their personal calendar (iCalendar).

The map link is an outgoing link to OpenStreetMap's search for the venue's address: nothing is
fetched from it, and no map is embedded (no third-party requests from our pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from urllib.parse import quote_plus

from flask_babel import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from forumapp.i18n import pick
from forumapp.programme.exports.schedule_data import item_guid
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration.models import ItemSignup, Registration
from forumapp.text import printable
from forumapp.timeutil import utcnow
from forumapp.urls import public_url_for

MAP_SEARCH = "https://www.openstreetmap.org/search?query="


def venue_text(event: Event, lang: str | None = None) -> str:
    """ "Palace of the Republic, Almaty": the venue and the city, whichever are known."""
    fallback = event.fallback_order
    parts = [pick(event.venue, lang, fallback), pick(event.city, lang, fallback)]
    return ", ".join(p for p in parts if p)


def map_url(event: Event, lang: str | None = None) -> str | None:
    """OpenStreetMap's search for the venue (None when the event names no venue or city)."""
    text = venue_text(event, lang)
    return MAP_SEARCH + quote_plus(text) if text else None


@dataclass
class MyItem:
    """One item of a participant's programme."""

    item: ProgrammeItem
    status: str  # "confirmed" or "waiting"

    @property
    def hall_name(self) -> str:
        return self.item.hall.display_name if self.item.hall else ""


def my_items(registration: Registration) -> list[MyItem]:
    """The items the participant signed up for and has not left, in programme order. Items the
    organisers took out of the programme (no longer published) are left out."""
    chosen = [s for s in registration.signups if s.status in ("confirmed", "waiting") and _shown(s)]
    chosen.sort(key=lambda s: (s.item.starts_at, s.item.id))
    return [MyItem(s.item, s.status) for s in chosen]


def _shown(signup: ItemSignup) -> bool:
    return signup.item.status == "published"


def calendar_url(registration: Registration) -> str:
    """The personal calendar, on the public address (it is also given in e-mails)."""
    return public_url_for("registration.my_calendar", slug=registration.event.slug, token=registration.token)


def _line(text: str) -> str:
    return printable(text, multiline=False)


def personal_calendar(registration: Registration, lang: str) -> bytes:
    """The event (all its days) and each item the participant holds a place at or waits for.
    Items waited for say so in their summary, so the calendar never promises a place."""
    event = registration.event
    fallback = event.fallback_order
    calendar = Calendar()
    calendar.add("prodid", "-//forumapp//registration//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    title = pick(event.title, lang, fallback)
    calendar.add("x-wr-calname", _line(title))
    calendar.add("x-wr-timezone", event.timezone)
    stamp = utcnow().replace(tzinfo=UTC)
    items = my_items(registration)
    if items:
        timezone = Timezone.from_tzid(
            event.timezone,
            first_date=event.starts_on - timedelta(days=1),
            last_date=event.ends_on + timedelta(days=2),
        )
        timezone.pop("COMMENT", None)  # not allowed in a VTIMEZONE by iTIP (see programme exports)
        calendar.add_component(timezone)
    whole = VEvent()
    whole.add("uid", f"registration-{registration.id}-event-{event.id}@forumapp")
    whole.add("dtstamp", stamp)
    whole.add("dtstart", event.starts_on)
    whole.add("dtend", event.ends_on + timedelta(days=1))  # DTEND of a date is exclusive
    whole.add("summary", _line(title))
    if where := venue_text(event, lang):
        whole.add("location", _line(where))
    whole.add("url", public_url_for("programme.event_home", slug=event.slug))
    calendar.add_component(whole)
    for mine in items:
        item = mine.item
        vevent = VEvent()
        vevent.add("uid", f"registration-{registration.id}-{item_guid(item)}@forumapp")
        vevent.add("sequence", item.sequence)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", item.local_start)
        vevent.add("dtend", item.local_end)
        summary = pick(item.title, lang, fallback)
        if mine.status == "waiting":
            summary = _("%(title)s (waiting list)", title=summary)
        vevent.add("summary", _line(summary))
        location = ", ".join(
            p
            for p in [pick(item.hall.name, lang, fallback) if item.hall else "", venue_text(event, lang)]
            if p
        )
        if location:
            vevent.add("location", _line(location))
        vevent.add("url", public_url_for("programme.item", slug=event.slug, item_id=item.id))
        vevent.add("status", "CONFIRMED" if mine.status == "confirmed" else "TENTATIVE")
        calendar.add_component(vevent)
    return calendar.to_ical()


def event_dates(event: Event) -> tuple[date, date | None]:
    """(first day, last day or None for a one-day event), for "9–10 June 2016"."""
    return event.starts_on, (event.ends_on if event.ends_on != event.starts_on else None)


__all__ = [
    "MAP_SEARCH",
    "calendar_url",
    "event_dates",
    "map_url",
    "my_items",
    "personal_calendar",
    "venue_text",
]
