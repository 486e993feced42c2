"""How pages, PDFs and e-mails say when an event happens: its dates (one date for a one-day
event) and its time zone in words ("Almaty time (UTC+05:00)")."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import format_date

from forumapp.escaping import lazy_gettext as _l
from forumapp.timeutil import to_local

# The zones forums in Kazakhstan and its neighbours are held in; any other zone is shown by its
# IANA name, which is still exact.
ZONE_LABELS = {
    "Asia/Almaty": _l("Almaty time"),
    "Asia/Qostanay": _l("Kostanay time"),
    "Asia/Aqtobe": _l("Aktobe time"),
    "Asia/Aqtau": _l("Aktau time"),
    "Asia/Atyrau": _l("Atyrau time"),
    "Asia/Oral": _l("Oral time"),
    "Asia/Qyzylorda": _l("Kyzylorda time"),
    "Europe/Moscow": _l("Moscow time"),
    "Asia/Tashkent": _l("Tashkent time"),
    "Asia/Bishkek": _l("Bishkek time"),
    "Europe/Istanbul": _l("Istanbul time"),
    "Asia/Dubai": _l("Dubai time"),
    "UTC": _l("Coordinated Universal Time"),
}


def zone_name(tz: str) -> str:
    """The zone in words in the current language, or its IANA name."""
    label = ZONE_LABELS.get(tz)
    return str(label) if label is not None else tz


def zone_label(tz: str, on: date) -> str:
    """e.g. 'Almaty time (UTC+05:00)': the offset is the one in force on that day."""
    offset = to_local(datetime.combine(on, time(12)), tz).strftime("%z")
    return f"{zone_name(tz)} (UTC{offset[:3]}:{offset[3:]})"


def date_span(first: date, last: date) -> str:
    """'10 June 2016' for one day, '9–10 June 2016', '30 June – 2 July 2016',
    '30 December 2016 – 2 January 2017'."""
    if first == last:
        return format_date(first, "d MMMM y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last, 'd MMMM y')}"
    if first.year == last.year:
        return f"{format_date(first, 'd MMMM')} – {format_date(last, 'd MMMM y')}"
    return f"{format_date(first, 'd MMMM y')} – {format_date(last, 'd MMMM y')}"


def event_dates(event) -> str:
    """The one way an event's dates are written everywhere (template filter `event_dates`)."""
    return date_span(event.starts_on, event.ends_on)
