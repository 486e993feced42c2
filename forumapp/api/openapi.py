"""The OpenAPI 3 description of /api/v1/, served at /api/v1/openapi.json. Tests validate it
(openapi-spec-validator), check real answers against its schemas, and run schemathesis against
a live server with it; a field added to a serializer must be added here too, or they fail."""

from __future__ import annotations

from functools import cache

from flask import current_app

from forumapp.api.http import MAX_PAGE, MAX_PER_PAGE
from forumapp.awards.models import PLACES
from forumapp.directory.models import ORGANISATION_KINDS
from forumapp.programme.models import EVENT_STATUSES, ITEM_KINDS, PERSON_ROLES
from forumapp.registration.checkin import (
    ALREADY,
    CANCELLED,
    CHECKED_IN,
    INVALID,
    ITEM_WAITING,
    NOT_SIGNED_UP,
    OTHER_EVENT,
    PENDING,
    REJECTED,
    WAITING,
)
from forumapp.registration.models import LOCALES, REGISTRATION_STATUSES, SIGNUP_STATUSES
from forumapp.shows.models import COLLECTION_CATEGORIES, SEASONS

MAX_ID = 2**31 - 1
NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f]*$"
SCAN_RESULTS = (CHECKED_IN, ALREADY, CANCELLED, WAITING, PENDING, REJECTED, OTHER_EVENT, INVALID, NOT_SIGNED_UP,
                ITEM_WAITING)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict, *, required: list | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": list(required or properties),
            "additionalProperties": False}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
TEXTS = ref("Texts")


def _schemas() -> dict:
    named_ref = obj({"id": INTEGER, "name": TEXTS})
    return {
        "Texts": {
            "type": "object",
            "description": "The same text in each language it was written in.",
            "properties": {code: STRING for code in LOCALES},
            "additionalProperties": False,
        },
        "Ref": named_ref,
        "Error": obj({"error": obj({"code": STRING, "message": STRING})}),
        "PageMeta": obj({"page": INTEGER, "per_page": INTEGER, "total": INTEGER, "pages": INTEGER}),
        "PageLinks": obj({"next": nullable(URL), "prev": nullable(URL)}),
        "Event": obj({
            "id": INTEGER, "slug": STRING, "title": TEXTS, "description": TEXTS,
            "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"},
            "timezone": STRING, "venue": TEXTS, "city": TEXTS,
            "status": {"type": "string", "enum": [s for s in EVENT_STATUSES if s != "draft"]},
            "default_locale": STRING, "url": URL, "updated_at": DATE_TIME,
        }),
        "Hall": obj({"id": INTEGER, "name": TEXTS, "capacity": nullable(INTEGER), "position": INTEGER,
                     "updated_at": DATE_TIME}),
        "Track": obj({"id": INTEGER, "name": TEXTS, "description": TEXTS, "color": STRING, "position": INTEGER,
                      "updated_at": DATE_TIME}),
        "Item": obj({
            "id": INTEGER, "kind": {"type": "string", "enum": list(ITEM_KINDS)},
            "status": {"type": "string", "enum": ["published", "cancelled"]},
            "title": TEXTS, "description": TEXTS, "starts_at": DATE_TIME, "ends_at": DATE_TIME,
            "hall": nullable(ref("Ref")), "track": nullable(ref("Ref")), "capacity": nullable(INTEGER),
            "takes_signups": {"type": "boolean"},
            "people": {"type": "array", "items": obj({
                "person": ref("Ref"), "role": {"type": "string", "enum": list(PERSON_ROLES)}})},
            "url": nullable(URL), "updated_at": DATE_TIME,
        }),
        "Person": obj({
            "id": INTEGER, "name": TEXTS, "position": TEXTS, "bio": TEXTS, "photo_url": nullable(URL),
            "organisation": nullable(ref("Ref")),
            "parts": {"type": "array", "items": obj({
                "item_id": INTEGER, "role": {"type": "string", "enum": list(PERSON_ROLES)}})},
            "updated_at": DATE_TIME,
        }),
        "Organisation": obj({
            "id": INTEGER, "name": TEXTS, "kind": {"type": "string", "enum": list(ORGANISATION_KINDS)},
            "city": STRING, "website": nullable(STRING), "logo_url": nullable(URL), "description": TEXTS,
            "parent_id": nullable(INTEGER), "url": URL, "updated_at": DATE_TIME,
        }),
        "Partner": obj({
            "id": INTEGER, "organisation": ref("Ref"),
            "tier": obj({"id": INTEGER, "name": TEXTS, "position": INTEGER}),
            "logo_url": nullable(URL), "url": nullable(STRING), "position": INTEGER, "updated_at": DATE_TIME,
        }),
        "Collection": obj({
            "id": INTEGER, "title": TEXTS, "description": TEXTS,
            "season": nullable({"type": "string", "enum": [s for s in SEASONS if s]}),
            "year": nullable(INTEGER),
            "categories": {"type": "array", "items": {"type": "string", "enum": list(COLLECTION_CATEGORIES)}},
            "looks": INTEGER, "brand": ref("Ref"), "designers": {"type": "array", "items": ref("Ref")},
            "images": {"type": "array", "items": obj({
                "url": URL, "width": INTEGER, "height": INTEGER, "caption": TEXTS})},
            "url": URL, "updated_at": DATE_TIME,
        }),
        "AwardResults": obj({
            "item_id": INTEGER, "title": TEXTS, "starts_at": DATE_TIME,
            "nominations": {"type": "array", "items": obj({
                "id": INTEGER, "title": TEXTS, "description": TEXTS,
                "laureates": {"type": "array", "items": obj({
                    "id": INTEGER, "place": {"type": "string", "enum": list(PLACES)},
                    "person": nullable(ref("Ref")), "organisation": nullable(ref("Ref")),
                    "presenter": nullable(ref("Ref")), "citation": TEXTS,
                })},
            })},
            "url": URL, "updated_at": DATE_TIME,
        }),
        "Registration": obj({
            "id": INTEGER, "status": {"type": "string", "enum": list(REGISTRATION_STATUSES)},
            "full_name": STRING, "email": STRING, "phone": nullable(STRING),
            "organisation_name": nullable(STRING), "position": nullable(STRING), "city": nullable(STRING),
            "category": nullable(obj({"id": INTEGER, "code": nullable(STRING), "name": TEXTS})),
            "locale": {"type": "string", "enum": list(LOCALES)},
            "answers": {"type": "object", "description": "Answers to the organisers' questions, by question id: "
                        "text, a choice's index, a list of indexes, or true/false.", "additionalProperties": {}},
            "waiting_position": nullable(INTEGER),
            "checked_in_at": nullable(DATE_TIME),
            "signups": {"type": "array", "items": obj({
                "item_id": INTEGER, "status": {"type": "string", "enum": list(SIGNUP_STATUSES)},
                "checked_in_at": nullable(DATE_TIME)})},
            "created_at": DATE_TIME, "updated_at": DATE_TIME,
        }),
        "ScanResult": obj({
            "result": {"type": "string", "enum": list(SCAN_RESULTS)},
            "ok": {"type": "boolean", "description": "True when the person may go in (checked in now or before)."},
            "checked_in_at": nullable(DATE_TIME), "item_id": nullable(INTEGER),
            "registration": nullable(ref("Registration")),
        }),
        "UndoResult": obj({"undone": {"type": "boolean"}, "registration": ref("Registration")}),
        "ScanRequest": {
            "type": "object", "required": ["code"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S",
                         "description": "The code of the ticket's QR code."},
                "item_id": nullable({"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                     "description": "Check in at this item's door instead of the entrance."}),
            },
        },
        "PromoteRequest": {
            "type": "object", "additionalProperties": False,
            "properties": {"beyond_capacity": {"type": "boolean", "default": False}},
        },
    }


def _listing(schema: str) -> dict:
    return obj({"data": {"type": "array", "items": ref(schema)}, "meta": ref("PageMeta"), "links": ref("PageLinks")})


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


ERRORS = {
    "400": _error("A query argument is not valid (`invalid_parameter`)."),
    "404": _error("No such object, or not public."),
    "429": {**_error("Too many requests (`rate_limited`)."), "headers": {
        "Retry-After": {"description": "Seconds to wait.", "schema": INTEGER}}},
}
TOKEN_ERRORS = {
    "401": _error("No token, or not a usable one (`unauthorized`, `invalid_token`)."),
    "403": _error("A read-only token tried to write (`read_only_token`)."),
}
BODY_ERRORS = {
    "409": _error("The registration is not in a state that allows this (`not_waiting`, `event_full`)."),
    "415": _error("The body is not application/json."),
    "422": _error("The body is not what this operation takes (`invalid_body`, `unknown_item`)."),
}


def _ok(schema: dict, description: str = "OK", *, cached: bool = True) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if cached:
        answer["headers"] = {"ETag": {"description": "Send it back in If-None-Match: 304 when nothing changed.",
                                      "schema": STRING}}
    return answer


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


SLUG = _path("slug", {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[^/\\u0000-\\u001f\\u007f]+$"})
PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50}, "Rows per page."),
    _query("updated_since", DATE_TIME, "Only rows changed at or after this instant (incremental sync)."),
]


def _id(name: str) -> dict:
    return _path(name, {"type": "integer", "minimum": 1, "maximum": MAX_ID})


def _get(operation_id: str, summary: str, schema: dict, parameters=(), *, token=False, listing=False) -> dict:
    responses = {"200": _ok(schema), "304": {"description": "Not modified (If-None-Match matched)."}, **ERRORS}
    operation = {"operationId": operation_id, "summary": summary, "responses": responses,
                 "parameters": [*parameters, *(PAGING if listing else ())],
                 "tags": ["registrations" if token else "public"]}
    if token:
        responses.update(TOKEN_ERRORS)
        operation["security"] = [{"token": []}]
    return {"get": operation}


def _paths() -> dict:
    public = {
        "/events": _get("listEvents", "Published and archived events", _listing("Event"), listing=True),
        "/events/{slug}": _get("getEvent", "One event", ref("Event"), [SLUG]),
        "/events/{slug}/items": _get("listItems", "Programme items (published, and cancelled after publication)",
                                     _listing("Item"), [
                                         SLUG, _query("kind", {"type": "string", "enum": list(ITEM_KINDS)}, "Kind."),
                                         _query("hall", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Hall id."),
                                         _query("track", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Track id."),
                                     ], listing=True),
        "/events/{slug}/items/{item_id}": _get("getItem", "One programme item", ref("Item"), [SLUG, _id("item_id")]),
        "/events/{slug}/halls": _get("listHalls", "Halls", _listing("Hall"), [SLUG], listing=True),
        "/events/{slug}/tracks": _get("listTracks", "Tracks", _listing("Track"), [SLUG], listing=True),
        "/events/{slug}/people": _get("listPeople", "People taking part in published items", _listing("Person"),
                                      [SLUG], listing=True),
        "/events/{slug}/people/{person_id}": _get("getPerson", "One person of the programme", ref("Person"),
                                                  [SLUG, _id("person_id")]),
        "/events/{slug}/partners": _get("listPartners", "Partners and sponsors, by tier", _listing("Partner"),
                                        [SLUG], listing=True),
        "/events/{slug}/collections": _get("listCollections", "Designer collections", _listing("Collection"),
                                           [SLUG], listing=True),
        "/events/{slug}/collections/{collection_id}": _get("getCollection", "One collection", ref("Collection"),
                                                           [SLUG, _id("collection_id")]),
        "/events/{slug}/awards": _get("listAwardResults", "Published award results, by ceremony",
                                      _listing("AwardResults"), [SLUG], listing=True),
        "/events/{slug}/awards/{item_id}": _get("getAwardResults", "One ceremony's published results",
                                                ref("AwardResults"), [SLUG, _id("item_id")]),
        "/organisations": _get("listOrganisations", "Organisations of the directory", _listing("Organisation"),
                               listing=True),
        "/organisations/{organisation_id}": _get("getOrganisation", "One organisation", ref("Organisation"),
                                                 [_id("organisation_id")]),
    }
    registrations = _get("listRegistrations", "Registrations of the token's event", _listing("Registration"), [
        SLUG,
        _query("status", {"type": "string", "enum": list(REGISTRATION_STATUSES)}, "Only this status."),
        _query("category", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Only this participant category."),
        _query("checked_in", {"type": "boolean"}, "Only those checked in (true) or not yet (false)."),
        _query("q", {"type": "string", "maxLength": 100, "pattern": NO_CONTROL_CHARACTERS},
               "Words found in the name, organisation or e-mail."),
    ], token=True, listing=True)
    one = _get("getRegistration", "One registration", ref("Registration"), [SLUG, _id("registration_id")],
               token=True)
    write = {"security": [{"token": []}], "tags": ["registrations"]}

    def body(schema: str, required: bool) -> dict:
        return {"required": required, "content": {"application/json": {"schema": ref(schema)}}}

    writes = {
        "/events/{slug}/checkin": {"post": {
            **write, "operationId": "scanTicket", "summary": "Check in the holder of a ticket code",
            "parameters": [SLUG], "requestBody": body("ScanRequest", True),
            "responses": {"200": _ok(ref("ScanResult"), "What the door should do (`ok`), and why.", cached=False),
                          **ERRORS, **TOKEN_ERRORS, **BODY_ERRORS},
        }},
        "/events/{slug}/registrations/{registration_id}/checkin": {"delete": {
            **write, "operationId": "undoCheckin", "summary": "Forget a mistaken check-in",
            "parameters": [SLUG, _id("registration_id"),
                           _query("item", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                  "At this item's door instead of the entrance.")],
            "responses": {"200": _ok(ref("UndoResult"), cached=False), **ERRORS, **TOKEN_ERRORS, **BODY_ERRORS},
        }},
        "/events/{slug}/registrations/{registration_id}/promote": {"post": {
            **write, "operationId": "promoteRegistration",
            "summary": "Confirm a waiting or pending registration (the participant is e-mailed)",
            "parameters": [SLUG, _id("registration_id")], "requestBody": body("PromoteRequest", False),
            "responses": {"200": _ok(ref("Registration"), cached=False), **ERRORS, **TOKEN_ERRORS, **BODY_ERRORS},
        }},
    }
    return {
        "/openapi.json": {"get": {"operationId": "getOpenApi", "summary": "This document", "tags": ["public"],
                                  "responses": {"200": {"description": "OpenAPI 3 document", "content": {
                                      "application/json": {"schema": {"type": "object"}}}},
                                      "304": {"description": "Not modified."}, "429": ERRORS["429"]}}},
        **public,
        "/events/{slug}/registrations": registrations,
        "/events/{slug}/registrations/{registration_id}": one,
        **writes,
    }


@cache
def _document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "forumapp API",
            "version": "1.0.0",
            "description": "Published data of events (no token), and registrations, check-in and the waiting "
                           "list with an organiser's API token. Errors are {\"error\": {\"code\", \"message\"}}. "
                           "See docs/api.md.",
        },
        "servers": [{"url": server}],
        "tags": [{"name": "public", "description": "Published data: no token needed."},
                 {"name": "registrations", "description": "With an organiser's API token for the event."}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "An API token made on the event's API tokens page."}},
        },
    }


def document() -> dict:
    """The document, its server being the configured public address (never the request's)."""
    return _document(current_app.config["PUBLIC_URL"] + "api/v1")
