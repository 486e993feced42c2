"""Addresses that leave the app, and the hosts the app answers to.

Every absolute URL that is sent somewhere (an e-mail, a certificate's verify QR code, the
iCalendar and schedule exports, a page showing an address to copy) is built by `public_url_for`
or from `public_base_url()`, which read the configured public address (FORUMAPP_PUBLIC_URL),
never the request's Host or X-Forwarded-Host: those are written by whoever sends the request,
and a link built from them would hand a participant's private link to an attacker's host.

Requests for a host the app does not serve are refused before anything else runs
(`HostAllowList`), and `safe_next` keeps redirects after a form inside the app.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.wsgi import get_host

# The embedded default (scripts/run.sh, `flask run`) serves here unless told otherwise.
LOCAL_PUBLIC_URL = "http://127.0.0.1:5000/"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def normalise_public_url(value: str) -> str:
    """`https://forum.example.kz/path` with exactly one trailing slash; refuses anything else."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(
            f"FORUMAPP_PUBLIC_URL must be the site's address such as https://forum.example.kz/ (got {value!r})"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}/"


def is_production(config: dict) -> bool:
    """Production unless said otherwise: FORUMAPP_ENV decides when set; otherwise any database
    but the embedded SQLite file counts as production (tests, TESTING=True, are not)."""
    declared = (config.get("ENVIRONMENT") or "").lower()
    if declared:
        return declared == "production"
    if config.get("TESTING"):
        return False
    return not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")


def configure_public_address(config: dict) -> None:
    """Fill PUBLIC_URL and TRUSTED_HOSTS in `config` (called once by create_app).

    PUBLIC_URL is FORUMAPP_PUBLIC_URL; without it, a fixed SERVER_NAME (tests, benches) or, on
    the embedded default only, the local address. In production a missing address stops the
    start with a message saying what to set."""
    configured = config.get("PUBLIC_URL") or ""
    if not configured and config.get("SERVER_NAME"):
        configured = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}/"
    if not configured:
        if is_production(config):
            raise ConfigurationError(
                "FORUMAPP_PUBLIC_URL is not set. In production every link in e-mails, certificates and "
                "exports is built from it, and only its host is served: set it to the site's address, "
                "e.g. FORUMAPP_PUBLIC_URL=https://forum.example.kz/ (FORUMAPP_ALLOWED_HOSTS adds other "
                "names the site answers to; FORUMAPP_ENV=development runs without it)."
            )
        configured = LOCAL_PUBLIC_URL
    public_url = normalise_public_url(configured)
    config["PUBLIC_URL"] = public_url
    hosts = [urlsplit(public_url).hostname, *config.get("ALLOWED_HOSTS", ())]
    if not is_production(config):  # the embedded default and tests answer locally too
        hosts.extend(LOCAL_HOSTS)
    config["TRUSTED_HOSTS"] = list(dict.fromkeys(h.strip().lower() for h in hosts if h and h.strip()))


def public_base_url() -> str:
    """The configured public address, ending in a slash: `https://forum.example.kz/`."""
    return current_app.config["PUBLIC_URL"]


def public_url_for(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the public address, inside or outside a request.
    `endpoint` is the full name (`registration.manage_registration`), as a message queued in
    one request may be rendered by another process."""
    parts = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


# ---- refusing unknown hosts ------------------------------------------------------------------

class HostAllowList:
    """WSGI middleware: a request whose host (Host, or X-Forwarded-Host once ProxyFix believed
    it) is not one the app serves gets a plain 400 before Flask, the session or the database see
    it. Flask's own TRUSTED_HOSTS check is set too, but its refusal arrives as a routing error,
    which the app's error page (built with url_for) cannot render."""

    def __init__(self, wsgi_app, config: dict):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        try:
            get_host(environ, trusted_hosts=self.config["TRUSTED_HOSTS"])
        except Exception:  # werkzeug's SecurityError; a malformed host fails the same way
            body = b"Unknown host: this site is not served under that name.\n"
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                               ("Content-Length", str(len(body)))])
            return [body]
        return self.wsgi_app(environ, start_response)


# ---- redirects after a form ------------------------------------------------------------------

# Browsers ignore tabs and newlines inside URLs and read "\" as "/", so "/\t/evil.example" and
# "/\\evil.example" both lead to another host: anything of the kind is refused outright.
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path of this site, else `default`. An absolute URL is accepted only
    on the host of this (already host-checked) request, and reduced to its path."""
    if not target or _UNSAFE_CHARACTERS.search(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
            return default
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    if not target.startswith("/") or target.startswith("//"):
        return default
    return target
