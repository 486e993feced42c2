"""The programme PDF rendered into the page cache outside a visitor's request: a plain function
that a background task (Celery, issue 14) can call when an event's data version changes, so that
the PDF is ready before the crowd asks. A visitor who asks first renders it once (single flight,
forumapp.caching.store) and everybody else is served that copy."""

from __future__ import annotations

from flask import current_app

from forumapp.caching.versions import current_version, event_scope
from forumapp.extensions import db
from forumapp.i18n import LANGUAGES


def render(event_id: int, version: str, lang: str) -> bool:
    """Render the programme PDF of the event in `lang` into the cache, if `version` (a
    DataVersion.token) is still the event's version; a task that arrives after a newer edit
    does nothing (the newer edit's task renders). True when the PDF is now in the cache.

    The PDF goes through the same view as a visitor's request, so it is kept under exactly the
    key a visitor's request looks up; the site's address comes from FORUMAPP_PUBLIC_URL."""
    from forumapp.programme.models import Event

    event = db.session.get(Event, event_id)
    if event is None or not event.is_public or lang not in LANGUAGES:
        return False
    if current_version(event_scope(event_id), created_at=event.created_at).token != version:
        return False
    app = current_app._get_current_object()
    base_url = app.config.get("PUBLIC_BASE_URL") or "http://localhost/"
    path = f"/e/{event.slug}/programme.pdf"
    with app.test_request_context(path, base_url=base_url, headers={"Accept-Language": lang}):
        response = app.full_dispatch_request()
    return response.status_code == 200 and response.cache_control.public
