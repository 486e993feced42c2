"""/api/v1/: the public, read-only part (published data, no token) and the OpenAPI document.
The token-authenticated part is in token_views.py, on the same blueprint; the organisers' page
that makes tokens is in manage_views.py.

CSRF protection does not apply here: no view of this blueprint reads the session cookie, so a
browser's signed-in session cannot act through the API; writes need a token sent in the
Authorization header, which another site cannot make a browser send."""

from __future__ import annotations

from flask import Blueprint

from forumapp.api import public_data as data
from forumapp.api import serializers as out
from forumapp.api.errors import ApiError, handle_api_error
from forumapp.api.http import choice_arg, int_arg, json_response, listing, page, updated_since
from forumapp.api.openapi import document
from forumapp.extensions import csrf
from forumapp.programme.models import ITEM_KINDS
from forumapp.rate_limits import api_calls

# Ids in paths: integers the database's INTEGER columns can hold (a larger one is simply missing).
ID = "int(max=2147483647)"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
api_calls(bp)
bp.register_error_handler(ApiError, handle_api_error)


def _list(fetch, serialize, *args, **filters):
    current, since = page(), updated_since()
    rows, total = fetch(*args, current, since, **filters)
    return json_response(listing([serialize(row) for row in rows], total, current))


@bp.route("/openapi.json")
def openapi():
    return json_response(document())


@bp.route("/events")
def events():
    return _list(data.events, out.event)


@bp.route("/events/<slug>")
def event(slug: str):
    return json_response(out.event(data.event_or_404(slug)))


@bp.route("/events/<slug>/items")
def items(slug: str):
    event = data.event_or_404(slug)
    filters = {"kind": choice_arg("kind", ITEM_KINDS), "hall_id": int_arg("hall"), "track_id": int_arg("track")}
    return _list(data.items, out.item, event, **filters)


@bp.route(f"/events/<slug>/items/<{ID}:item_id>")
def item(slug: str, item_id: int):
    return json_response(out.item(data.item_or_404(data.event_or_404(slug), item_id)))


@bp.route("/events/<slug>/halls")
def halls(slug: str):
    return _list(data.halls, out.hall, data.event_or_404(slug))


@bp.route("/events/<slug>/tracks")
def tracks(slug: str):
    return _list(data.tracks, out.track, data.event_or_404(slug))


@bp.route("/events/<slug>/people")
def people(slug: str):
    return _list(data.people, lambda row: out.person(*row), data.event_or_404(slug))


@bp.route(f"/events/<slug>/people/<{ID}:person_id>")
def person(slug: str, person_id: int):
    return json_response(out.person(*data.person_or_404(data.event_or_404(slug), person_id)))


@bp.route("/events/<slug>/partners")
def partners(slug: str):
    return _list(data.partners, out.partner, data.event_or_404(slug))


@bp.route("/events/<slug>/collections")
def collections(slug: str):
    return _list(data.collections, out.collection, data.event_or_404(slug))


@bp.route(f"/events/<slug>/collections/<{ID}:collection_id>")
def collection(slug: str, collection_id: int):
    return json_response(out.collection(data.collection_or_404(data.event_or_404(slug), collection_id)))


@bp.route("/events/<slug>/awards")
def awards(slug: str):
    return _list(data.award_results, out.ceremony, data.event_or_404(slug))


@bp.route(f"/events/<slug>/awards/<{ID}:item_id>")
def award(slug: str, item_id: int):
    return json_response(out.ceremony(data.award_result_or_404(data.event_or_404(slug), item_id)))


@bp.route("/organisations")
def organisations():
    return _list(data.organisations, out.organisation)


@bp.route(f"/organisations/<{ID}:organisation_id>")
def organisation(organisation_id: int):
    return json_response(out.organisation(data.organisation_or_404(organisation_id)))


# The token routes are on `bp` too; webhooks and sync register their session hooks (and tasks).
from forumapp.api import sync, token_views, webhooks  # noqa: E402,F401
from forumapp.api.manage_views import bp as manage_bp  # noqa: E402

blueprints = [bp, manage_bp]
