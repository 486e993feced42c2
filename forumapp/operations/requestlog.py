"""One log line per request, and a request id a user can quote from an error page.

The id comes from X-Request-ID when a trusted proxy (FORUMAPP_TRUSTED_PROXIES > 0, e.g. nginx
with `proxy_set_header X-Request-ID $request_id`) sets it, so nginx's log and ours share it;
otherwise it is generated here (a visitor's own header is ignored: it could forge or flood ids).
It is returned in the X-Request-ID response header and shown on error pages.

This is WSGI middleware wrapped around the whole app, so the line is written for every request,
including those refused before Flask's own hooks run (rate limits, routing errors, crashes), and
the duration covers the whole response body.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import request

log = logging.getLogger("forumapp.requests")

ENVIRON_KEY = "forumapp.request_id"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestLogMiddleware:
    def __init__(self, wsgi_app, *, trust_header: bool):
        self.wsgi_app = wsgi_app
        self.trust_header = trust_header

    def _request_id(self, environ) -> str:
        given = environ.get("HTTP_X_REQUEST_ID", "") if self.trust_header else ""
        return given if _ACCEPTED_ID.match(given) else uuid.uuid4().hex

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request_id = environ[ENVIRON_KEY] = self._request_id(environ)
        status_code = [500]

        def start(status, headers, exc_info=None):
            status_code[0] = int(status.split(" ", 1)[0])
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, start)
        except BaseException:
            _log_line(environ, request_id, 500, started)
            raise
        return _LoggedBody(body, lambda: _log_line(environ, request_id, status_code[0], started))


class _LoggedBody:
    """The response body, passed through; the line is written once, when the body has been sent
    or when the server closes it (whichever comes first: a client that hangs up mid-way)."""

    def __init__(self, body, on_finish):
        self._body = body
        self._on_finish = on_finish

    def _finish(self):
        on_finish, self._on_finish = self._on_finish, None
        if on_finish is not None:
            on_finish()

    def __iter__(self):
        try:
            yield from self._body
        finally:
            self._finish()

    def close(self):
        try:
            if hasattr(self._body, "close"):
                self._body.close()
        finally:
            self._finish()


def _log_line(environ, request_id: str, status: int, started: float) -> None:
    duration_ms = (time.perf_counter() - started) * 1000
    # The path is JSON-quoted so a crafted URL cannot forge a second log line; the query string
    # is left out (it may carry tokens).
    path = environ.get("PATH_INFO", "")
    if isinstance(path, str):
        path = path.encode("latin-1", "replace").decode("utf-8", "replace")
    log.info(
        "request_id=%s method=%s path=%s status=%d duration_ms=%.1f",
        request_id, environ.get("REQUEST_METHOD", "-"), json.dumps(path, ensure_ascii=False), status, duration_ms,
        extra={"request_id": request_id, "status": status, "duration_ms": duration_ms},
    )


def current_request_id() -> str:
    """The id of the request being served ('' outside a request or without the middleware)."""
    try:
        return request.environ.get(ENVIRON_KEY, "")
    except RuntimeError:
        return ""


def init_app(app) -> None:
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app, trust_header=app.config.get("TRUSTED_PROXIES", 0) > 0)
    app.context_processor(lambda: {"request_id": current_request_id()})
