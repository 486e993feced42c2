"""Filters and globals every template can use."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import request
from flask_babel import format_date, format_datetime, format_time

from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, pick


def lang_url(code: str) -> str:
    """This page's URL in another language: the same path, with ?lang= set."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def local_date(value: date | datetime, fmt: str = "long") -> str:
    return format_date(value, fmt) if value else ""


def local_time(value: datetime, fmt: str = "HH:mm") -> str:
    """A time already converted to the event's zone (aware datetime): printed as it is."""
    return format_time(value, fmt, rebase=False) if value else ""


def local_datetime(value: datetime, fmt: str = "medium") -> str:
    return format_datetime(value, fmt, rebase=False) if value else ""


def register_template_helpers(app) -> None:
    app.add_template_filter(pick, "t")
    app.add_template_filter(local_date, "ldate")
    app.add_template_filter(local_time, "ltime")
    app.add_template_filter(local_datetime, "ldatetime")
    app.add_template_global(lang_url)
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
