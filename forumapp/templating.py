"""Filters and globals every template can use."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import request
from flask_babel import format_date, format_datetime, format_decimal, format_time
from markupsafe import Markup  # noqa: TID251 (css_string escapes every character it keeps)

from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, pick
from forumapp.urls import public_url_for


def lang_url(code: str) -> str:
    """This page's URL in another language: the same path, with ?lang= set."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


# Babel's own "long" and "full" patterns add "г." / "ж." and put the Kazakh year first; forum
# programmes are printed as "22 қараша 2016", "22 ноября 2016", "22 November 2016".
DATE_PATTERNS = {"long": "d MMMM y", "full": "EEEE, d MMMM y", "day": "EEEE, d MMMM"}


def local_date(value: date | datetime, fmt: str = "long") -> str:
    return format_date(value, DATE_PATTERNS.get(fmt, fmt)) if value else ""


def local_time(value: datetime, fmt: str = "HH:mm") -> str:
    """A time already converted to the event's zone (aware datetime): printed as it is."""
    if not value:
        return ""
    if fmt == "HH:mm":  # the same digits in kk, ru and en; Babel's pattern machinery costs ~40 µs
        return value.strftime("%H:%M")
    return format_time(value, fmt, rebase=False)


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    return format_datetime(value, fmt, rebase=False) if value else ""


def tenge(amount) -> str:
    """An amount in tenge, grouped the local way: "150 000 ₸", "150,000 ₸"."""
    if amount is None or amount == "":
        return ""
    return f"{format_decimal(round(amount), format='#,##0')}\u00a0₸"


def css_string(text) -> Markup:
    """Text as a quoted CSS string, every character but letters, digits and spaces escaped, so
    a name can go into a PDF's running header (`content: ...`) and never end the declaration.
    A literal header costs WeasyPrint far less than `string-set`, which re-lays out pages."""
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in str(text or ""))
    return Markup(f'"{escaped}"')


def register_template_helpers(app) -> None:
    app.add_template_filter(pick, "t")
    app.add_template_filter(local_date, "ldate")
    app.add_template_filter(local_time, "ltime")
    app.add_template_filter(local_datetime, "ldatetime")
    app.add_template_filter(tenge, "tenge")
    from forumapp.programme.when import event_dates, zone_name

    app.add_template_filter(event_dates, "event_dates")
    app.add_template_filter(zone_name, "zone_name")
    from forumapp.programme.colours import safe_colour, text_on

    app.add_template_filter(safe_colour, "safe_colour")
    app.add_template_filter(text_on, "text_on")
    app.add_template_filter(css_string, "css_string")
    app.add_template_global(lang_url)
    app.add_template_global(public_url_for)  # addresses shown to be copied elsewhere
    app.add_template_global(current_language)
    app.add_template_global(LANGUAGES, "LANGUAGES")
    app.add_template_global(LANGUAGE_NAMES, "LANGUAGE_NAMES")
    from forumapp.accounts.labels import ROLE_LABELS
    from forumapp.directory.labels import ORGANISATION_KIND_LABELS
    from forumapp.programme.labels import ITEM_KIND_LABELS, PERSON_ROLE_LABELS, STATUS_LABELS

    app.add_template_global(ITEM_KIND_LABELS, "ITEM_KIND_LABELS")
    app.add_template_global(PERSON_ROLE_LABELS, "PERSON_ROLE_LABELS")
    app.add_template_global(STATUS_LABELS, "STATUS_LABELS")
    app.add_template_global(ORGANISATION_KIND_LABELS, "ORGANISATION_KIND_LABELS")
    app.add_template_global(ROLE_LABELS, "ROLE_LABELS")
