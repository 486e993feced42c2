"""/api/v1/ for holders of an organiser's API token: registrations (list, filter, one), check-in
(scan a ticket, undo), promotion from the waiting list. The rules are the registration area's
own services (forumapp.registration.checkin and .services); these views only translate.

A token names one event: under another event's address it finds nothing (404), as an
organiser's session would. A read-only token that tries to write gets 403."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from sqlalchemy import and_
from sqlalchemy.orm import selectinload

from forumapp.api import serializers as out
from forumapp.api import tokens
from forumapp.api.errors import ApiError
from forumapp.api.http import (
    bool_arg,
    choice_arg,
    int_arg,
    json_response,
    listing,
    page,
    text_arg,
    updated_since,
)
from forumapp.api.views import ID, bp
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration import checkin
from forumapp.registration import services as registration_services
from forumapp.registration.models import REGISTRATION_STATUSES, Registration
from forumapp.text import has_control_characters


def _secret() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": 'Bearer realm="forumapp"'})
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "invalid_token", "Send the token as 'Authorization: Bearer <token>'.",
                       headers={"WWW-Authenticate": 'Bearer realm="forumapp", error="invalid_request"'})
    return secret.strip()


def with_token(*, write: bool = False):
    """The view runs with `g.api_token` and the token's event (passed as `event`, in place of
    the slug): 401 without a usable token, 404 under another event's address, 403 for a write
    with a read-only token."""

    def decorator(view):
        @wraps(view)
        def wrapper(slug: str, **values):
            token = tokens.find_active(_secret())
            if token is None:
                raise ApiError(401, "invalid_token", "This token is unknown, revoked or no longer valid.",
                               headers={"WWW-Authenticate": 'Bearer realm="forumapp", error="invalid_token"'})
            event = db.session.get(Event, token.event_id)
            if event.slug != slug:
                raise ApiError(404)
            if write and not token.may_write:
                raise ApiError(403, "read_only_token", "This token may only read; ask for a read-write token.")
            token_id = token.id
            tokens.note_use(token)
            g.api_token_id = token_id
            return view(event, **values)

        return wrapper

    return decorator


def _json_body(*allowed: str) -> dict:
    """The request's JSON object (an empty body is an empty object); unknown fields are refused,
    so a typo is not silently ignored."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.")
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "The body must be a JSON object.")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ApiError(422, "invalid_body", "Unknown fields: " + ", ".join(unknown[:5]))
    return body


def _registration_or_404(event: Event, registration_id: int) -> Registration:
    registration = db.session.scalar(
        db.select(Registration).filter_by(id=registration_id, event_id=event.id)
        .options(selectinload(Registration.category), selectinload(Registration.signups))
    )
    if registration is None:
        raise ApiError(404, "not_found", "No such registration in this event.")
    return registration


def _waiting_number(registration: Registration) -> int | None:
    return registration_services.waiting_position(registration) if registration.status == "waiting" else None


def _door_item(event: Event, item_id) -> ProgrammeItem | None:
    if item_id is None:
        return None
    if isinstance(item_id, bool) or not isinstance(item_id, int) or not 0 < item_id < 2**31:
        raise ApiError(422, "invalid_body", "item_id must be the id of an item with door check-in.")
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.event_id != event.id or not item.door_checkin:
        raise ApiError(422, "unknown_item", "No item with door check-in has this id in this event.")
    return item


# ---- registrations ---------------------------------------------------------------------------


@bp.route("/events/<slug>/registrations")
@with_token()
def registrations(event: Event):
    current, since = page(), updated_since()
    status = choice_arg("status", REGISTRATION_STATUSES)
    category_id = int_arg("category")
    checked_in = bool_arg("checked_in")
    text = (text_arg("q") or "").strip()
    query = db.select(Registration).where(Registration.event_id == event.id).options(
        selectinload(Registration.category), selectinload(Registration.signups))
    if status is not None:
        query = query.where(Registration.status == status)
    if category_id is not None:
        query = query.where(Registration.category_id == category_id)
    if checked_in is not None:
        query = query.where(Registration.checked_in_at.is_not(None) if checked_in
                            else Registration.checked_in_at.is_(None))
    if since is not None:
        query = query.where(Registration.updated_at >= since)
    words = text.split()[:4]
    if words:
        columns = (Registration.full_name, Registration.organisation_name, Registration.email)
        query = query.where(and_(*(registration_services.contains_text(columns, word) for word in words)))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.order_by(Registration.id).offset(current.offset).limit(current.size)).all()
    numbers = registration_services.waiting_numbers(event) if any(r.status == "waiting" for r in rows) else {}
    return json_response(listing([out.registration(r, numbers.get(r.id)) for r in rows], total, current),
                         private=True)


@bp.route(f"/events/<slug>/registrations/<{ID}:registration_id>")
@with_token()
def registration(event: Event, registration_id: int):
    found = _registration_or_404(event, registration_id)
    return json_response(out.registration(found, _waiting_number(found)), private=True)


# ---- check-in --------------------------------------------------------------------------------


@bp.route("/events/<slug>/checkin", methods=["POST"])
@with_token(write=True)
def scan(event: Event):
    """A scanned ticket code: the same answer as the check-in desk's (checked in, already
    checked in at ..., cancelled, forged ...). A refusal is an answer, not an error: 200 with
    `ok` false."""
    body = _json_body("code", "item_id")
    code = body.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > 500:
        raise ApiError(422, "invalid_body", "code must be the ticket's code (a non-empty string).")
    item = _door_item(event, body.get("item_id"))
    db.session().expire_on_commit = False
    if has_control_characters(code):
        result = checkin.ScanResult(checkin.INVALID)
    else:
        creator_id = db.session.scalar(db.select(tokens.ApiToken.created_by_id).filter_by(id=g.api_token_id))
        result = checkin.scan(event, code, creator_id, item)
    found = result.registration
    return json_response({
        "result": result.result,
        "ok": result.ok,
        "checked_in_at": out.iso(result.checked_in_at),
        "item_id": item.id if item else None,
        "registration": out.registration(found, None) if found is not None else None,
    })


@bp.route(f"/events/<slug>/registrations/<{ID}:registration_id>/checkin", methods=["DELETE"])
@with_token(write=True)
def undo_checkin(event: Event, registration_id: int):
    """Forget a mistaken check-in (at the entrance, or at one item's door with ?item=)."""
    found = _registration_or_404(event, registration_id)
    item_id = int_arg("item")
    item = _door_item(event, item_id) if item_id is not None else None
    undone = checkin.undo_check_in(event, found.id, item)
    found = _registration_or_404(event, registration_id)
    return json_response({"undone": undone, "registration": out.registration(found, _waiting_number(found))})


# ---- waiting list ----------------------------------------------------------------------------


@bp.route(f"/events/<slug>/registrations/<{ID}:registration_id>/promote", methods=["POST"])
@with_token(write=True)
def promote(event: Event, registration_id: int):
    """Confirm a waiting (or pending) person: into a free place (409 event_full when there is
    none), or beyond the capacity when `beyond_capacity` is true. The participant is e-mailed,
    as when an organiser promotes them on the registrations page."""
    body = _json_body("beyond_capacity")
    beyond = body.get("beyond_capacity", False)
    if not isinstance(beyond, bool):
        raise ApiError(422, "invalid_body", "beyond_capacity must be true or false.")
    found = _registration_or_404(event, registration_id)
    try:
        registration_services.promote(found, beyond_capacity=beyond)
    except registration_services.EventFull:
        raise ApiError(409, "event_full", "No place is free; send beyond_capacity true to confirm anyway.") from None
    except registration_services.RegistrationError:
        raise ApiError(409, "not_waiting", "Only a waiting or pending registration can be promoted.") from None
    found = _registration_or_404(event, registration_id)
    return json_response(out.registration(found, None))


