"""Public exports of a published programme: PDF, iCalendar, c3voc JSON, frab XML."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, g, request
from flask_babel import gettext as _

from forumapp.caching.pages import cached_public
from forumapp.downloads import download
from forumapp.i18n import current_language
from forumapp.programme.exports.c3voc import schedule_json
from forumapp.programme.exports.frab import schedule_xml
from forumapp.programme.exports.ical import programme_calendar
from forumapp.programme.exports.pdf import programme_pdf
from forumapp.programme.labels import PERSON_ROLE_LABELS
from forumapp.programme.programme_page import normal_ids
from forumapp.programme.services import feed_items, public_event_or_404, published_items
from forumapp.rate_limits import public_render
from forumapp.releases.services import export_version
from forumapp.urls import public_base_url

bp = Blueprint("programme_exports", __name__)


@bp.url_value_preprocessor
def load_public_event(endpoint, values):
    event = g.event = public_event_or_404(values.pop("slug"))
    g.content_fallback = event.fallback_order
    g.event_default_locale = event.default_locale


def _download(data: bytes, mimetype: str, extension: str, inline: bool = False) -> Response:
    filename = f"{g.event.slug}-{current_language()}.{extension}"
    return download(data, mimetype, filename, inline=inline)


def _schedule(render):
    """Arguments shared by the c3voc JSON and frab XML exports."""
    items = feed_items(g.event)
    return render(
        g.event, items, current_language(), public_base_url(), _("No hall"), _("Cancelled"), export_version(g.event)
    )


@bp.route("/e/<slug>/programme.pdf")
@cached_public()
@public_render
def programme_pdf_view():
    rendered = programme_pdf(g.event, published_items(g.event))
    return _download(rendered.data, "application/pdf", "pdf", inline=True)


@bp.route("/e/<slug>/programme.ics")
@cached_public(args={"items": normal_ids})
@public_render
def programme_ics():
    """The whole programme, or with ?items=3,7,9 a visitor's own (the ids the programme page's
    script keeps for starred items): a URL, not an account."""
    try:
        wanted = normal_ids(request.args.get("items", ""))
    except ValueError:
        abort(400)
    items = feed_items(g.event)
    if wanted:
        ids = {int(i) for i in wanted.split(",")}
        items = [item for item in items if item.id in ids]
    roles = {key: str(label) for key, label in PERSON_ROLE_LABELS.items()}
    data = programme_calendar(g.event, items, current_language(), public_base_url(), roles)
    return _download(data, "text/calendar; charset=utf-8", "ics")


@bp.route("/e/<slug>/schedule.json")
@cached_public()
@public_render
def schedule_json_view():
    data = _schedule(schedule_json)
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json")


@bp.route("/e/<slug>/schedule.xml")
@cached_public()
@public_render
def schedule_xml_view():
    data = _schedule(schedule_xml)
    return Response(data, mimetype="application/xml")
