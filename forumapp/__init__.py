"""forumapp: event management for industry forums and fashion shows."""

from __future__ import annotations

import importlib
import math
import os
import time
from pathlib import Path

import flask_babel
from flask import Flask, current_app, g, render_template, send_from_directory
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from forumapp.config import instance_path, load_config
from forumapp.extensions import babel, csrf, db, init_database, limiter, login_manager, migrate
from forumapp.urls import HostAllowList, configure_public_address

ROOT = Path(__file__).resolve().parent.parent

# Each area of the domain is a package whose views module has a blueprint `bp` (or a list,
# `blueprints`, when public pages and management pages are separate).
AREAS = ("accounts", "directory", "programme", "releases", "registration", "awards", "shows", "sponsors", "media",
         "editions", "audit", "matchmaking", "api")
# Further view modules of an area, registered the same way.
EXTRA_VIEWS = ("registration.checkin_views", "operations.health")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path(os.environ, ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides or {})
    _configure_transport_security(app)
    from forumapp.caching.replay import PageReplay

    # Innermost, before Flask: cached public pages asked for again (forumapp.caching.replay).
    app.wsgi_app = PageReplay(app.wsgi_app, app, max_bytes=app.config["PAGE_CACHE_LOCAL_MAX_BYTES"] or 32 << 20)
    app.extensions["page_replay"] = app.wsgi_app
    # Then the host check: it sees the host ProxyFix settled on (X-Forwarded-Host if believed).
    app.wsgi_app = HostAllowList(app.wsgi_app, app.config)
    from forumapp.operations import requestlog, startup

    startup.configure_logging()
    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx or a load balancer: the visitor's address (rate limits, logs) and scheme
        # (secure cookies, redirects) come from the X-Forwarded-* headers the trusted proxies set.
        # Links that leave the app never do: they come from FORUMAPP_PUBLIC_URL (urls.py).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _warn_if_limits_per_process(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"

    from forumapp import i18n, input_guard, security
    from forumapp.caching import pages as caching_pages
    from forumapp.caching import pdfs as caching_pdfs  # noqa: F401 - its commit hook and task
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
    input_guard.init_app(app)
    register_template_helpers(app)

    import forumapp.models  # noqa: F401  (every model is known before the first query)

    for module in [f"{area}.views" for area in AREAS] + list(EXTRA_VIEWS):
        views = importlib.import_module(f"forumapp.{module}")
        for blueprint in getattr(views, "blueprints", [views.bp]):
            app.register_blueprint(blueprint)

    from forumapp.jobs.celery_app import init_celery
    from forumapp.jobs.dispatch import start_local_periodic

    init_celery(app)
    # Without a broker, the periodic work (outbox, stale print jobs, old prints) runs in a thread
    # of this process, started by the first request (not by CLI commands such as `db upgrade`).
    app.before_request(lambda: start_local_periodic(app))

    from forumapp.cli import register_cli

    register_cli(app)
    _register_error_pages(app)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    # Outermost: it sees every request, even those refused before Flask's hooks run.
    requestlog.init_app(app)
    startup.warn_about_single_process_settings(app)
    return app


def _configure_transport_security(app: Flask) -> None:
    """The public address (which also decides the hosts served), then the HTTPS-only settings
    that follow from it unless configured: a site served over https gets a Secure session cookie
    and HSTS for a year."""
    configure_public_address(app.config)
    https = app.config["PUBLIC_URL"].startswith("https://")
    secure = app.config.get("SECURE_COOKIES")
    secure = https if secure is None else secure
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    if app.config.get("HSTS_SECONDS") is None:
        app.config["HSTS_SECONDS"] = 365 * 24 * 3600 if https else 0


def _warn_if_limits_per_process(app: Flask) -> None:
    """With limits counted in each process's memory, N workers allow N times the limit: say so
    where the operator looks."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if app.config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory"):
        app.logger.warning(
            "Rate limits (sign-in, registration) are counted in this process's memory: every worker "
            "allows the full limit. Set FORUMAPP_REDIS_URL to share them between workers."
        )


def _favicon():
    """Browsers ask for /favicon.ico whatever the page links; answer instead of a 404 per page."""
    icons = Path(current_app.static_folder) / "icons"
    return send_from_directory(icons, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


def _fresh_request_state(endpoint=None, values=None):
    """Forget per-request state kept on `g`. In production every request has its own app
    context; tests and scripts run several requests inside one, and must not leak language or
    event (or the signed-in user, whom Flask-Login keeps in `g`) from one request into the next."""
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

    from forumapp.api.errors import api_error_response

    # A missing or stale CSRF token is nearly always an old tab or an expired session.
    app.register_error_handler(
        CSRFError, lambda e: (render_template("error.html", error=e, code=400, form_expired=True), 400)
    )
    # Under /api/ every error is JSON (forumapp.api.errors); elsewhere the error page.
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(
            code, lambda e, code=code: api_error_response(code, error=e) or (
                render_template("error.html", error=e, code=code), code)
        )
    for code in (401, 406, 409, 415, 422):  # (no page of their own: Werkzeug's outside /api/)
        app.register_error_handler(code, lambda e, code=code: api_error_response(code, error=e) or e)

    @app.errorhandler(429)
    def too_many_requests(e):
        """A rate limit (Flask-Limiter) was reached: say how long to wait, on the page and in
        Retry-After."""
        current = limiter.current_limit
        wait = max(1, math.ceil(current.window.reset_time - time.time())) if current is not None else 60
        api = api_error_response(429, headers={"Retry-After": str(wait)})
        if api is not None:
            return api
        page = render_template("error.html", error=e, code=429, retry_minutes=math.ceil(wait / 60))
        return page, 429, {"Retry-After": str(wait)}

    @app.errorhandler(500)
    def server_error(e):
        if isinstance(getattr(e, "original_exception", None), OperationalError):
            return database_unavailable(e.original_exception)
        db.session.rollback()
        return api_error_response(500) or (render_template("error.html", error=e, code=500), 500)

    @app.teardown_appcontext
    def close_session_on_a_dead_connection(_exc):
        """End the request's session here, before Flask-SQLAlchemy's teardown (teardowns run in
        reverse order): if the database went away after the response was made, the rollback
        of closing fails; drop the connections instead, so the visitor still gets that response
        rather than a 500 raised from the teardown."""
        try:
            db.session.close()
        except SQLAlchemyError:
            app.logger.warning("the database connection was lost at the end of a request", exc_info=True)
            db.session().invalidate()  # (scoped_session does not proxy invalidate)

    @app.errorhandler(OperationalError)
    def database_unavailable(e):
        """The database is down or dropped the connection: a 503 page that needs nothing from it.
        The page is drawn for an anonymous visitor (loading the signed-in user would ask the
        database again) and without the event the request had loaded."""
        app.logger.error("database unavailable: %s", e)
        try:
            db.session.rollback()
        except Exception:
            # The connection is gone, and not every driver message is recognised as a
            # disconnect ("consuming input failed: server closed the connection"): drop the
            # session's connections without talking to the server, or the request's teardown
            # would roll back on the dead connection again and raise past this page (a 500).
            app.logger.debug("rollback after a database error failed", exc_info=True)
            db.session().invalidate()  # (scoped_session does not proxy invalidate)
        g._login_user = login_manager.anonymous_user()
        g.pop("event", None)
        headers = {"Retry-After": "30"}
        api = api_error_response(503, headers=headers)
        if api is not None:
            return api
        try:
            return render_template("error.html", error=e, code=503), 503, headers
        except Exception:  # the page itself failed: still say what happened, in plain text
            app.logger.exception("the 503 page failed")
            return "503 Service Unavailable: the database cannot be reached. Please try again shortly.\n", 503, {
                **headers, "Content-Type": "text/plain; charset=utf-8"}
