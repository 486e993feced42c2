"""Large badge batches are printed by a worker, as certificate batches are (forumapp.awards.jobs):
a PrintJob of kind "badges" keeps the chosen options, the registrations (in print order) and the
organiser's language; the worker lays the badges out a chunk at a time, reporting the badges done,
joins the chunks into one PDF (fonts subset once) and saves it in the shared storage, where any
host serves the download. The same choice over unchanged registrations reuses the printed PDF.

Small batches are still printed within the request (INLINE_LIMIT): waiting for a job page to
poll would be slower than the PDF itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from flask import current_app
from flask_babel import force_locale

from forumapp.awards.jobs import start_or_reuse
from forumapp.awards.models import PrintJob, PrintJobKind
from forumapp.caching.versions import current_version, event_scope
from forumapp.documents.render import RenderedPDF, join_documents, render_html
from forumapp.extensions import db
from forumapp.i18n import current_language
from forumapp.programme.models import Event
from forumapp.registration.badges import PER_SHEET, BadgeOptions, badge_html
from forumapp.registration.models import Registration

INLINE_LIMIT = 40  # badges printed within the request
CHUNK = 48  # badges laid out at a time by the worker: a multiple of every layout's badges per sheet


def fingerprint(event: Event, registrations: list[Registration], options: BadgeOptions, lang: str) -> str:
    """Everything a badge shows: a change of a name, organisation or category prints anew."""
    printed = [(r.id, r.full_name, r.organisation_name, r.position, r.category_id, r.token,
                str(r.updated_at)) for r in registrations]
    # The event's public data version covers its title and the categories' names.
    version = current_version(event_scope(event.id), created_at=event.created_at).token
    source = json.dumps(["badges", event.id, version, asdict(options), lang, printed],
                        ensure_ascii=False, default=str)
    return hashlib.sha256(source.encode()).hexdigest()


def start(event: Event, registrations: list[Registration], options: BadgeOptions) -> PrintJob:
    lang = current_language()
    return start_or_reuse(
        event.id, fingerprint(event, registrations, options, lang),
        kind=PrintJobKind.BADGES.value, scope=f"badges:{options.layout}", pdf_variant="",
        total=len(registrations),
        options={"badge": asdict(options), "registration_ids": [r.id for r in registrations], "lang": lang},
    )


def render_job(job: PrintJob, progress) -> tuple[RenderedPDF, int]:
    """In the worker: the job's badges, `progress(badges_done)` after each chunk."""
    event = db.session.get(Event, job.event_id)
    options = BadgeOptions(**job.options["badge"])
    ids = job.options["registration_ids"]
    found = {r.id: r for r in db.session.scalars(db.select(Registration).where(Registration.id.in_(ids)))}
    registrations = [found[i] for i in ids if i in found]  # one cancelled since is left out
    assert CHUNK % PER_SHEET[options.layout] == 0
    documents = []
    with current_app.test_request_context(), force_locale(job.options.get("lang") or "ru"):
        for start_at in range(0, len(registrations), CHUNK):
            chunk = registrations[start_at:start_at + CHUNK]
            documents.append(render_html(badge_html(event, chunk, options)))
            progress(start_at + len(chunk))
    return join_documents(documents), len(registrations)
