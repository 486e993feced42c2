"""forumapp: event management for industry forums and fashion shows."""

from __future__ import annotations

import importlib
import math
import time
from pathlib import Path

import flask_babel
from flask import Flask, g, render_template
from werkzeug.middleware.proxy_fix import ProxyFix

from forumapp.config import load_config
from forumapp.extensions import babel, csrf, db, init_database, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Each area of the domain is a package whose views module has a blueprint `bp` (or a list,
# `blueprints`, when public pages and management pages are separate).
AREAS = ("accounts", "directory", "programme", "registration", "awards", "shows", "sponsors", "media")
# Further view modules of an area, registered the same way.
EXTRA_VIEWS = ("registration.checkin_views",)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx or a load balancer: the visitor's address (rate limits, logs) and scheme
        # (links in e-mails) come from the X-Forwarded-* headers the trusted proxies set.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"

    from forumapp import i18n, security
    from forumapp.caching import pages as caching_pages
    from forumapp.caching import static as caching_static
    from forumapp.templating import register_template_helpers

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=_event_timezone)
    # Runs before any blueprint's URL preprocessors, which load the event into `g`.
    app.url_value_preprocessor(_fresh_request_state)
    # Registered before remember_language so that it runs after it (and sees its cookie).
    caching_pages.init_app(app)
    caching_static.init_app(app)
    app.after_request(i18n.remember_language)
    security.init_app(app)
    register_template_helpers(app)

    import forumapp.models  # noqa: F401  (every model is known before the first query)

    for module in [f"{area}.views" for area in AREAS] + list(EXTRA_VIEWS):
        views = importlib.import_module(f"forumapp.{module}")
        for blueprint in getattr(views, "blueprints", [views.bp]):
            app.register_blueprint(blueprint)

    from forumapp.cli import register_cli

    register_cli(app)
    _register_error_pages(app)
    return app


def _fresh_request_state(endpoint=None, values=None):
    """Forget per-request state kept on `g`. In production every request has its own app
    context; tests and scripts run several requests inside one, and must not leak language or
    event from one request into the next."""
    flask_babel.refresh()
    # (_login_user and csrf_token: Flask-Login's and Flask-WTF's per-request caches; a second
    # browser in a test must not inherit the first one's sign-in or token.)
    for name in ("event", "remember_lang", "content_fallback", "event_default_locale", "_login_user", "csrf_token"):
        g.pop(name, None)


def _event_timezone():
    event = getattr(g, "event", None)
    return event.timezone if event is not None else None


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    # A missing or stale CSRF token is nearly always an old tab or an expired session.
    app.register_error_handler(
        CSRFError, lambda e: (render_template("error.html", error=e, code=400, form_expired=True), 400)
    )
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(
            code, lambda e, code=code: (render_template("error.html", error=e, code=code), code)
        )

    @app.errorhandler(429)
    def too_many_requests(e):
        """A rate limit (Flask-Limiter) was reached: say how long to wait, on the page and in
        Retry-After."""
        current = limiter.current_limit
        wait = max(1, math.ceil(current.window.reset_time - time.time())) if current is not None else 60
        page = render_template("error.html", error=e, code=429, retry_minutes=math.ceil(wait / 60))
        return page, 429, {"Retry-After": str(wait)}

    @app.errorhandler(500)
    def server_error(e):
        db.session.rollback()
        return render_template("error.html", error=e, code=500), 500
