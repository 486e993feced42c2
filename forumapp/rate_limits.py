"""Rate limits on public URLs that render something expensive (a PDF, a calendar, an export).

Anyone can ask for /e/<slug>/programme.pdf; WeasyPrint needs a tenth of a second or more for it,
so a loop of requests from one address would keep every worker busy. All such URLs share ONE
bucket per client address (scope "public-render"): asking for the programme PDF, then the
leaflet, then the calendar does not multiply the allowance. The limit is in the configuration
(RATELIMIT_RENDERS, from FORUMAPP_RATELIMIT_RENDERS), as Flask-Limiter's notation, e.g.
"20 per minute;300 per hour". The client address is the one ProxyFix trusts
(FORUMAPP_TRUSTED_PROXIES), so a forged X-Forwarded-For header does not reset it.
"""

from __future__ import annotations

from flask import current_app

from forumapp.extensions import limiter

DEFAULT_RENDERS = "20 per minute;300 per hour"
DEFAULT_VERIFY = "30 per minute"
DEFAULT_API = "120 per minute;3000 per hour"


def _renders() -> str:
    return current_app.config.get("RATELIMIT_RENDERS") or DEFAULT_RENDERS


def _verify() -> str:
    return current_app.config.get("RATELIMIT_VERIFY") or DEFAULT_VERIFY


def _api() -> str:
    return current_app.config.get("RATELIMIT_API") or DEFAULT_API


public_render = limiter.shared_limit(_renders, scope="public-render")
"""Decorator for a public view that renders a file. Put it INSIDE the page cache's decorator
(forumapp.caching.pages.cached_public): an answer from the cache renders nothing and is not
counted, so a crowd reading the published programme through one office's address is not turned
away, while every render (a cache miss, a signed-in organiser, an unknown query) is."""

certificate_lookup = limiter.limit(_verify)
"""Decorator for the public certificate verification page (guessing codes, not rendering)."""

api_calls = limiter.shared_limit(_api, scope="api")
"""Decorator for every view of the JSON API (forumapp.api): one bucket per client address for
the whole API, tokens or not (a made-up token must not buy a fresh allowance)."""
