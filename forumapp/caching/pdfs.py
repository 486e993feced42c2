"""The programme PDF rendered into the page cache outside a visitor's request.

When a transaction that changed an event's public data commits, `prerender_programme` is
enqueued for the event's new version (after PDF_PRERENDER_DELAY seconds, so that an organiser's
run of edits renders once: a task whose version is no longer current does nothing). It renders
the programme PDF in each language into the cache, where the crowd's requests find it. A
visitor who asks before it is done renders it once (single flight, forumapp.caching.store) and
everybody else is served that copy.

It is on when a broker is configured (the worker renders, not the web processes) and can be
switched on or off with FORUMAPP_PDF_PRERENDER; the embedded default renders on first request.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event as sa_event

from forumapp.caching.versions import current_version, event_scope
from forumapp.extensions import db
from forumapp.i18n import LANGUAGES
from forumapp.jobs import background_task, enqueue
from forumapp.jobs.dispatch import broker_configured


def prerender_enabled(app) -> bool:
    setting = app.config.get("PDF_PRERENDER")
    return broker_configured(app) if setting is None else bool(setting)


@sa_event.listens_for(Session, "after_commit")
def _prerender_after_commit(session) -> None:
    bumped = session.info.pop("bumped_events", None)
    if not bumped or not has_app_context():
        return
    app = current_app._get_current_object()
    if not prerender_enabled(app) or not app.config.get("PAGE_CACHE", True):
        return
    for event_id, version in sorted(bumped.items()):
        enqueue(prerender_programme, event_id, version, countdown=float(app.config.get("PDF_PRERENDER_DELAY", 5)))


@sa_event.listens_for(Session, "after_rollback")
def _forget_bumped(session) -> None:
    session.info.pop("bumped_events", None)


@background_task("forumapp.caching.prerender_programme")
def prerender_programme(event_id: int, version: str) -> int:
    """Render the event's programme PDF in every language for `version`; how many were rendered
    (0 when the version is no longer current or the event not public)."""
    return sum(render(event_id, version, lang) for lang in LANGUAGES)


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
