"""Rows as the API's JSON. Texts come in every language the organisers wrote them in
({"kk": ..., "ru": ..., "en": ...}); the integrator picks. Times are UTC (RFC 3339, Z); the
event's time zone is given with the event. Nothing private leaves through the public
serializers: a person's e-mail, phone and notes, a registration's private link never appear."""

from __future__ import annotations

from forumapp.api.http import iso
from forumapp.i18n import LANGUAGES
from forumapp.urls import public_url_for


def texts(value) -> dict[str, str]:
    """Only the known languages, only strings (the JSON columns are written by forms, but a
    stray key must not break an integrator's schema)."""
    if isinstance(value, str):
        return {"ru": value} if value else {}
    if not isinstance(value, dict):
        return {}
    return {code: value[code] for code in LANGUAGES if isinstance(value.get(code), str) and value[code]}


def media(path: str | None) -> str | None:
    return public_url_for("media.file", path=path) if path else None


def ref(obj, name_attribute: str = "name") -> dict | None:
    """{"id", "name"} of a related row, or None."""
    if obj is None:
        return None
    return {"id": obj.id, "name": texts(getattr(obj, name_attribute))}


def event(row) -> dict:
    return {
        "id": row.id,
        "slug": row.slug,
        "title": texts(row.title),
        "description": texts(row.description),
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "timezone": row.timezone,
        "venue": texts(row.venue),
        "city": texts(row.city),
        "status": row.status,
        "default_locale": row.default_locale,
        "url": public_url_for("programme.event_home", slug=row.slug),
        "updated_at": iso(row.updated_at),
    }


def hall(row) -> dict:
    return {"id": row.id, "name": texts(row.name), "capacity": row.capacity, "position": row.position,
            "updated_at": iso(row.updated_at)}


def track(row) -> dict:
    return {"id": row.id, "name": texts(row.name), "description": texts(row.description), "color": row.color,
            "position": row.position, "updated_at": iso(row.updated_at)}


def item(row) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,  # "published", or "cancelled" once it had been published
        "title": texts(row.title),
        "description": texts(row.description),
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
        "hall": ref(row.hall),
        "track": ref(row.track),
        "capacity": row.capacity,
        "takes_signups": row.takes_signups,
        "people": [{"person": ref(part.person), "role": part.role} for part in row.people],
        "url": public_url_for("programme.item", slug=row.event.slug, item_id=row.id)
        if row.status == "published" else None,
        "updated_at": iso(row.updated_at),
    }


def person(row, parts: list[tuple[int, str]]) -> dict:
    """A person as the programme shows them, with their parts [(item id, role)]."""
    return {
        "id": row.id,
        "name": texts(row.name),
        "position": texts(row.position),
        "bio": texts(row.bio),
        "photo_url": media(row.photo),
        "organisation": ref(row.organisation),
        "parts": [{"item_id": item_id, "role": role} for item_id, role in parts],
        "updated_at": iso(row.updated_at),
    }


def organisation(row) -> dict:
    return {
        "id": row.id,
        "name": texts(row.name),
        "kind": row.kind,
        "city": row.city,
        "website": row.website or None,
        "logo_url": media(row.logo),
        "description": texts(row.description),
        "parent_id": row.parent_id,
        "url": public_url_for("organisations.organisation", organisation_id=row.id),
        "updated_at": iso(row.updated_at),
    }


def partner(row) -> dict:
    return {
        "id": row.id,
        "organisation": ref(row.organisation),
        "tier": {"id": row.tier.id, "name": texts(row.tier.name), "position": row.tier.position},
        "logo_url": media(row.shown_logo),
        "url": row.shown_url or None,
        "position": row.position,
        "updated_at": iso(row.updated_at),
    }


def collection(row) -> dict:
    return {
        "id": row.id,
        "title": texts(row.title),
        "description": texts(row.description),
        "season": row.season or None,
        "year": row.year,
        "categories": [c for c in row.categories or [] if isinstance(c, str)],
        "looks": row.looks,
        "brand": ref(row.brand),
        "designers": [ref(p) for p in row.designers],
        "images": [
            {"url": media(image.path), "width": image.width, "height": image.height, "caption": texts(image.caption)}
            for image in row.images
        ],
        "url": public_url_for("shows.collection", slug=row.event.slug, collection_id=row.id),
        "updated_at": iso(row.updated_at),
    }


def ceremony(row) -> dict:
    return {
        "item_id": row.item.id,
        "title": texts(row.item.title),
        "starts_at": iso(row.item.starts_at),
        "nominations": [
            {
                "id": nomination.id,
                "title": texts(nomination.title),
                "description": texts(nomination.description),
                "laureates": [
                    {
                        "id": laureate.id,
                        "place": laureate.place,
                        "person": ref(laureate.person),
                        "organisation": ref(laureate.organisation),
                        "presenter": ref(laureate.presenter),
                        "citation": texts(laureate.citation),
                    }
                    for laureate in nomination.laureates
                ],
            }
            for nomination in row.nominations
        ],
        "url": public_url_for("awards.results", slug=row.item.event.slug, item_id=row.item.id),
        "updated_at": iso(row.updated_at),
    }


# ---- for token holders -----------------------------------------------------------------------


def registration(row, waiting_number: int | None = None) -> dict:
    return {
        "id": row.id,
        "status": row.status,
        "full_name": row.full_name,
        "email": row.email,
        "phone": row.phone or None,
        "organisation_name": row.organisation_name or None,
        "position": row.position or None,
        "city": row.city or None,
        "category": {"id": row.category.id, "code": row.category.code or None, "name": texts(row.category.name)}
        if row.category else None,
        "locale": row.locale,
        "answers": {str(k): v for k, v in (row.answers or {}).items()},
        "waiting_position": waiting_number,
        "checked_in_at": iso(row.checked_in_at),
        "signups": [
            {"item_id": s.item_id, "status": s.status, "checked_in_at": iso(s.checked_in_at)} for s in row.signups
        ],
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
