"""Errors under /api/ as JSON of one stable shape, whatever raised them:

    {"error": {"code": "not_found", "message": "..."}}

`code` is a fixed machine-readable word an integrator can branch on (listed in the OpenAPI
document); `message` is English prose for a person reading a log. The app's HTML error pages
ask `api_error_response` first, so a 404 for an unknown address, a 405, a 429 from the rate
limiter or a 500 under /api/ are JSON too."""

from __future__ import annotations

from flask import jsonify, request

API_PREFIX = "/api/"

# HTTP status -> the code used when the error itself names none.
DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
DEFAULT_MESSAGES = {
    400: "The request is malformed.",
    401: "An API token is required: send it as 'Authorization: Bearer <token>'.",
    403: "This token may not do that.",
    404: "Nothing here.",
    405: "This method is not allowed here.",
    406: "Only application/json is served here.",
    409: "The request conflicts with the current state.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    422: "The request body is not valid.",
    429: "Too many requests: slow down and try again later.",
    500: "Something went wrong on the server.",
    503: "The service is temporarily unavailable; try again shortly.",
}


class ApiError(Exception):
    """Raised by API views: turned into the JSON error with this status."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None, *, headers=None):
        super().__init__(message or DEFAULT_MESSAGES.get(status, ""))
        self.status = status
        self.code = code or DEFAULT_CODES.get(status, "error")
        self.message = message or DEFAULT_MESSAGES.get(status, "")
        self.headers = headers or {}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(status: int, code: str | None = None, message: str | None = None, headers=None):
    body = {"error": {"code": code or DEFAULT_CODES.get(status, "error"),
                      "message": message or DEFAULT_MESSAGES.get(status, "")}}
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def api_error_response(status: int, headers=None, error=None):
    """The JSON error for a request under /api/, or None for any other (it gets the HTML page)."""
    if not is_api_request():
        return None
    headers = dict(headers or {})
    if getattr(error, "valid_methods", None):  # a 405 says which methods are allowed
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, headers=headers)


def handle_api_error(error: ApiError):
    return error_response(error.status, error.code, error.message, error.headers)
