"""Health checks for load balancers and orchestrators, exempt from rate limits.

/healthz: the process answers (liveness: restart it if not).
/readyz: it can serve: the database answers, and the Celery broker when one is configured
(readiness: send it no traffic until it does). The answer says which check failed but never
why (the reason, which may name hosts, goes to the log).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from forumapp.extensions import db, limiter

bp = Blueprint("operations", __name__)
log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3


@bp.route("/healthz")
@limiter.exempt
def healthz():
    return _no_store(jsonify(status="ok"))


@bp.route("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": _check(_database_answers)}
    broker_url = current_app.config.get("BROKER_URL")
    if broker_url:
        checks["broker"] = _check(lambda: _broker_answers(broker_url))
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)


def _check(probe) -> str:
    try:
        probe()
    except Exception:
        log.warning("readiness check failed", exc_info=True)
        return "unavailable"
    return "ok"


def _database_answers() -> None:
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    finally:
        db.session.remove()


def _broker_answers(url: str) -> None:
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    else:
        # Another transport (AMQP...): ask kombu, which Celery brings.
        from kombu import Connection

        with Connection(url, connect_timeout=CHECK_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
