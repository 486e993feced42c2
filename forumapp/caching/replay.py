"""Public pages a crowd asks for again, answered before Flask (WSGI middleware, innermost).

A page served from the page cache (forumapp.caching.pages) still cost about 1.6 ms of CPU under
gunicorn, nearly all of it Flask's request machinery and loading the event through the ORM, to
send bytes that were ready. This layer remembers, per process, the complete response Flask gave
for a request (after every after-request step: security headers, cache headers) together with
the data version it was made from, and answers the same request again with it once one
statement has confirmed that the version is still the current one. So the first request after
an organiser's edit still gets the new page: the version it reads is the one the edit's
transaction bumped.

"The same request" is everything the page can depend on: path and query, Accept-Language and
the language cookie, host and scheme (absolute links). Anything personal is never replayed nor
remembered: a request with the session cookie (signed in, a form's CSRF token, a flashed
message) or the remember-me cookie, with Authorization, a Range, or ?lang= (which sets a cookie),
and anything under /api/ (its own rate limits and tokens) goes to Flask as before. Only
responses the page cache itself marked as shared (`mark_shared`, a 200 that sets no cookie and is
`public`) are remembered; for a page whose key has more than the version (an item's free places)
that part is checked again too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

import sqlalchemy as sa
from werkzeug.http import is_resource_modified

from forumapp.caching.versions import PublicDataVersion

ENVIRON_KEY = "forumapp.shared_page"  # set by the page cache: (scope, version token, check, checked)
_VERSION = sa.select(PublicDataVersion.version, PublicDataVersion.changed_at).where(
    PublicDataVersion.scope == sa.bindparam("scope"))
# Headers of a 200 that a 304 does not repeat (RFC 9110 15.4.5).
_NOT_IN_304 = {"content-length", "content-type", "content-disposition", "content-encoding"}


def mark_shared(environ: dict, scope: str, token: str, check=None, checked: str | None = None) -> None:
    """The response is the same for everyone while the scope's version is `token` (and, for a
    page keyed by more, while `check()` still returns `checked`)."""
    environ[ENVIRON_KEY] = (scope, token, check, checked)


@dataclass(frozen=True)
class _Remembered:
    scope: str
    token: str
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None
    last_modified: str | None
    check: Callable[[object], str] | None = None
    checked: str | None = None


class PageReplay:
    def __init__(self, wsgi_app, app, *, max_bytes: int):
        self.wsgi_app = wsgi_app
        self.app = app
        self.max_bytes = max_bytes  # bodies are mostly the page cache's own bytes objects, shared
        self._size = 0
        self._entries: OrderedDict[tuple, _Remembered] = OrderedDict()
        self._lock = threading.Lock()
        self._engine = None

    # ---- which requests -------------------------------------------------------------------

    def _key(self, environ) -> tuple | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not self.app.config.get("PAGE_CACHE"):
            return None
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if (path.startswith("/api/") or "lang=" in query or "HTTP_AUTHORIZATION" in environ
                or "HTTP_RANGE" in environ):
            return None
        lang_cookie = ""
        if cookie_header := environ.get("HTTP_COOKIE"):
            cookies = SimpleCookie()
            try:
                cookies.load(cookie_header)
            except Exception:  # a malformed Cookie header: let Flask decide what it means
                return None
            if (self.app.config["SESSION_COOKIE_NAME"] in cookies
                    or self.app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies):
                return None
            lang_cookie = cookies["lang"].value if "lang" in cookies else ""
        return (path, query, environ.get("HTTP_ACCEPT_LANGUAGE", ""), lang_cookie, environ.get("HTTP_HOST", ""),
                environ.get("wsgi.url_scheme", ""), environ.get("SCRIPT_NAME", ""))

    def _is_current(self, found: _Remembered) -> bool:
        """Whether the scope's version is still the one the response was made from (a scope
        without a row has not changed since the migration: its version-0 token, made from the
        event's creation, still holds), and what else the page is keyed by is unchanged. Read on
        one connection in autocommit: no BEGIN/ROLLBACK round trips around the statements."""
        from forumapp.caching.versions import DataVersion
        from forumapp.extensions import db

        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(_VERSION, {"scope": found.scope}).first()
            current = DataVersion(row.version, row.changed_at).token if row is not None else None
            if not (current == found.token or (current is None and found.token.startswith("0."))):
                return False
            return found.check is None or found.check(connection) == found.checked

    # ---- WSGI -------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        if found is not None:
            try:
                current = self._is_current(found)
            except sa.exc.SQLAlchemyError:
                current = False  # the database is away: Flask answers (its 503 page)
            if current:
                return self._replay(found, environ, start_response)
        return self._through_flask(key, environ, start_response)

    def _replay(self, found: _Remembered, environ, start_response):
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ or "HTTP_IF_MATCH" in environ
        if conditional and not is_resource_modified(environ, etag=found.etag, last_modified=found.last_modified):
            start_response("304 Not Modified", [(k, v) for k, v in found.headers if k.lower() not in _NOT_IN_304])
            return []
        start_response(found.status, list(found.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [found.body]

    def _through_flask(self, key, environ, start_response):
        environ.pop(ENVIRON_KEY, None)
        seen = {}

        def start(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start)
        shared = environ.get(ENVIRON_KEY)
        if shared is None or environ["REQUEST_METHOD"] != "GET" or not seen.get("status", "").startswith("200"):
            return body
        headers = {name.lower(): value for name, value in seen["headers"]}
        if "set-cookie" in headers or "public" not in headers.get("cache-control", ""):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        remembered = _Remembered(scope=shared[0], token=shared[1], status=seen["status"],
                                 headers=tuple(seen["headers"]), body=data, etag=headers.get("etag"),
                                 last_modified=headers.get("last-modified"), check=shared[2], checked=shared[3])
        if len(data) <= self.max_bytes:
            with self._lock:
                old = self._entries.pop(key, None)
                self._size += len(data) - (len(old.body) if old is not None else 0)
                self._entries[key] = remembered
                while self._size > self.max_bytes:
                    _, dropped = self._entries.popitem(last=False)
                    self._size -= len(dropped.body)
        return [data]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0
