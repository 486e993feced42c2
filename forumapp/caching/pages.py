"""The view decorator that serves public pages and exports from the cache, with HTTP caching.

A response is kept under: endpoint, path, the data version of its scope (an event, or the
whole site for organisation pages), the language the visitor reads (chosen by ?lang=, the
cookie or Accept-Language), the page's own query arguments normalised, and, for pages that
print absolute links, the site address. Nothing personal is ever kept or shared: requests of
signed-in users, requests with a flashed message waiting, requests with query arguments the page
does not know, and responses that set a cookie, touch the session or carry a CSRF token are
rendered for that visitor only and marked `private`.

Every response of these views carries a strong ETag (a hash of the body) and Last-Modified (when
the data last changed) and answers conditional requests with 304. Public ones say
`Cache-Control: public, max-age=0, s-maxage=N`: browsers revalidate every time (cheap, and an
organiser sees an edit at once), a reverse proxy may hold the page N seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC
from functools import wraps
from pathlib import Path

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from werkzeug.http import http_date, quote_etag
from werkzeug.wrappers import Response

from forumapp.caching.replay import mark_shared
from forumapp.caching.store import CachedResponse, MemoryStore, RedisStore, get_or_render
from forumapp.caching.versions import SITE, DataVersion, current_version, event_scope, remembered
from forumapp.extensions import db
from forumapp.i18n import current_language

# Query arguments every page accepts: the language is part of the key through current_language().
COMMON_ARGS = ("lang",)
VARY = "Accept-Language, Cookie"


def code_release(app) -> str:
    """A hash of the code, templates and compiled translations: part of every key, so a deploy
    that changes how pages look never serves pages rendered by the code before it (from Redis,
    which outlives the workers)."""
    root = Path(app.root_path)
    digest = hashlib.sha256()
    for folder, patterns in ((root, ("*.py", "*.mo", "*.html", "*.css")), (Path(app.template_folder), ("*",))):
        for pattern in patterns:
            for path in sorted(folder.rglob(pattern)):
                if path.is_file():
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app) -> None:
    app.extensions["page_cache_release"] = code_release(app)
    if app.config.get("PAGE_CACHE_REDIS_URL"):
        store = RedisStore(
            app.config["PAGE_CACHE_REDIS_URL"],
            ttl=app.config["PAGE_CACHE_TTL"],
            max_entry_bytes=app.config["PAGE_CACHE_MAX_BYTES"] // 4,
            local_max_bytes=app.config["PAGE_CACHE_LOCAL_MAX_BYTES"],
        )
    else:
        store = MemoryStore(app.config["PAGE_CACHE_MAX_BYTES"])
    app.extensions["page_cache"] = store
    app.after_request(_private_when_personal)


def page_store():
    return current_app.extensions["page_cache"]


def event_pages() -> tuple[str, object]:
    """Scope of pages under /e/<slug>/: the event loaded into g by the blueprint."""
    return event_scope(g.event.id), g.event.created_at


def site_pages() -> tuple[str, object]:
    return SITE, None


def cached_public(scope: Callable[[], tuple[str, object]] = event_pages, *,
                  args: dict[str, Callable[[str], object]] | None = None, absolute_links: bool = False,
                  also_keyed_by: Callable[..., Callable[..., str]] | None = None):
    """Serve the view from the page cache when the request is anonymous and known.

    `args` names the query arguments the page reads, each with a function that returns its
    normalised value or raises ValueError (the request is then rendered but not kept).
    `absolute_links`: the body prints the site's address, so the address is part of the key.
    `also_keyed_by`: called with the view's arguments, gives a check: a function that returns
    what else the page shows that is not public data under the version (an item's free places:
    registrations never bump it), reading with the session, or, given one, on a Connection (the
    replay layer runs it so, outside any request).
    """
    page_args = args or {}

    def decorator(view):
        @wraps(view)
        def wrapper(*view_args, **view_kwargs):
            scope_name, created_at = scope()
            version = remembered(scope_name) or current_version(scope_name, created_at=created_at)
            normalised = _normalised_args(page_args)
            if normalised is None or not _anonymous_request() or not current_app.config["PAGE_CACHE"]:
                response = make_response(view(*view_args, **view_kwargs))
                public = normalised is not None and _anonymous_request() and _keepable(response)
                return _finish(response, version, public=public)

            parts = [current_app.extensions["page_cache_release"], request.endpoint, request.path, scope_name, version.token, current_language(), normalised]
            if absolute_links:
                parts.append(request.url_root)
            check = checked = None
            if also_keyed_by is not None:
                check = also_keyed_by(*view_args, **view_kwargs)
                checked = check()
                parts.append(checked)
            key = "|".join(parts)

            def render():
                # The event row was read before the version: read it again, so what is kept
                # under this version is at least as new as the version.
                db.session.expire_all()
                response = make_response(view(*view_args, **view_kwargs))
                return response, (_entry_of(response, version) if _keepable(response) else None)

            entry, response = get_or_render(page_store(), key, render)
            if entry is None:
                return _finish(response, version, public=False)
            mark_shared(request.environ, scope_name, version.token, check, checked)
            return _response_of(entry).make_conditional(request)

        return wrapper

    return decorator


def _normalised_args(page_args) -> str | None:
    """The page's query as a canonical string, or None when it has an argument it does not read
    (or a value it refuses): such a request is not shared."""
    parts = []
    for name in sorted(request.args):
        if name in COMMON_ARGS:
            continue
        if name not in page_args:
            return None
        values = request.args.getlist(name)
        if len(values) != 1:
            return None
        try:
            parts.append(f"{name}={page_args[name](values[0])}")
        except (ValueError, KeyError):
            return None
    return "&".join(parts)


def _anonymous_request() -> bool:
    return request.method in ("GET", "HEAD") and not current_user.is_authenticated and "_flashes" not in session


def _keepable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified
        and "csrf_token" not in g
    )


def _etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def _entry_of(response: Response, version: DataVersion) -> CachedResponse:
    body = response.get_data()
    keep = {k: v for k, v in response.headers.items() if k in ("Content-Disposition",)}
    return CachedResponse(
        body=body,
        mimetype=response.content_type,
        etag=_etag(body),
        last_modified=version.changed_at.replace(tzinfo=UTC).timestamp(),
        headers=keep,
    )


def _public_headers(response: Response) -> None:
    response.cache_control.public = True
    response.cache_control.max_age = 0
    response.cache_control.s_maxage = current_app.config["PROXY_MAX_AGE"]
    response.vary.update(h.strip() for h in VARY.split(","))


def _response_of(entry: CachedResponse) -> Response:
    """The kept response, its headers written out at once (what _public_headers, set_etag and
    last_modified would set one by one, each re-parsing the header: a tenth of a hit's time)."""
    headers = [
        *entry.headers.items(),
        ("ETag", quote_etag(entry.etag)),
        ("Last-Modified", http_date(entry.last_modified)),
        ("Cache-Control", f"public, max-age=0, s-maxage={current_app.config['PROXY_MAX_AGE']}"),
        ("Vary", VARY),
    ]
    return Response(entry.body, content_type=entry.mimetype, headers=headers)


def _finish(response: Response, version: DataVersion, *, public: bool) -> Response:
    """A response rendered for this request only: the same validators, 304 when they match."""
    if response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return response
    response.set_etag(_etag(response.get_data()))
    response.last_modified = version.changed_at.replace(tzinfo=UTC)
    if public:
        _public_headers(response)
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def _private_when_personal(response: Response) -> Response:
    """Runs after every other after-request step: a public response that is about to set a
    cookie (the remembered language, the session) is not for a shared cache after all."""
    if response.cache_control.public and ("Set-Cookie" in response.headers or session.modified):
        response.cache_control.public = False
        response.cache_control.s_maxage = None
        response.cache_control.private = True
    return response
