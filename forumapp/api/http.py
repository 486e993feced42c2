"""What every API view shares: query arguments read strictly, page-based pagination with `next`
links on the public address, and JSON responses with an ETag (304 when it matches)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, request

from forumapp.api.errors import ApiError
from forumapp.urls import public_url_for

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000


def invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"{name}: {message}")


def int_arg(name: str, *, minimum: int = 1, maximum: int = 2**31 - 1) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        raise invalid(name, "a whole number is expected")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise invalid(name, f"must be between {minimum} and {maximum}")
    return value


def choice_arg(name: str, choices) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in choices:
        raise invalid(name, "one of " + ", ".join(choices) + " is expected")
    return raw


def bool_arg(name: str) -> bool | None:
    value = choice_arg(name, ("true", "false"))
    return None if value is None else value == "true"


def text_arg(name: str, *, max_length: int = 100) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if len(raw) > max_length:
        raise invalid(name, f"at most {max_length} characters")
    return raw


def updated_since() -> datetime | None:
    """`updated_since`: an ISO 8601 instant (with Z or an offset; without one it is UTC), as
    naive UTC for comparing with the database's columns."""
    raw = request.args.get("updated_since")
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        if not 1900 <= value.year <= 2200:
            raise ValueError("out of range")
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise invalid("updated_since", "an ISO 8601 date-time such as 2026-06-01T00:00:00Z is expected") from None
    return value


def iso(value: datetime | None) -> str | None:
    """Naive UTC from the database as RFC 3339 with Z."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + "Z"


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page() -> Page:
    number = int_arg("page", maximum=MAX_PAGE) or 1
    size = int_arg("per_page", maximum=MAX_PER_PAGE) or DEFAULT_PER_PAGE
    return Page(number, size)


def listing(rows: list, total: int, current: Page) -> dict:
    """The envelope of every list: the rows, counts and links to the neighbouring pages, built on
    the configured public address (never the request's Host) with the request's own filters."""
    pages = max(1, -(-total // current.size))

    def link(number: int) -> str:
        path_values = request.view_args or {}
        args = {k: v for k, v in request.args.items() if k not in ("page", "per_page", *path_values)}
        return public_url_for(request.endpoint, **{**args, **path_values, "page": number, "per_page": current.size})

    return {
        "data": rows,
        "meta": {"page": current.number, "per_page": current.size, "total": total, "pages": pages},
        "links": {
            "next": link(current.number + 1) if current.number < pages else None,
            "prev": link(current.number - 1) if 1 < current.number <= pages else None,
        },
    }


def json_response(payload, *, status: int = 200, private: bool = False) -> Response:
    """The JSON body with a strong ETag; a GET whose If-None-Match matches gets 304 without it.
    Public data may be shared by caches (revalidated every time); token-authenticated answers
    are private to the integrator."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    response = Response(body, status=status, mimetype="application/json")
    if request.method in ("GET", "HEAD") and status == 200:
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
        response.cache_control.no_cache = True
        if private:
            response.cache_control.private = True
        else:
            response.cache_control.public = True
        response.vary.add("Authorization")
        return response.make_conditional(request)
    response.cache_control.no_store = True
    return response
