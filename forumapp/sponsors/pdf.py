"""Partners in documents: the programme PDF's back page."""

from __future__ import annotations

from flask import render_template

from forumapp.programme.models import Event
from forumapp.sponsors.services import sponsors_by_tier


def partners_page_html(event: Event, *, first_page: int = 1, **context) -> str | None:
    """HTML of the partners page (None when the event has no partners)."""
    partners = sponsors_by_tier(event)
    if not partners:
        return None
    return render_template(
        "sponsors/pdf/partners_page.html", event=event, partners=partners, first_page=first_page, **context
    )
