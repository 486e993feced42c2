"""What a load balancer and an operator see: /healthz and /readyz (never rate limited), one log
line per request with its id, and that id in a response header and on error pages."""

from __future__ import annotations

import logging
import re
import socket

import pytest

from forumapp import create_app
from forumapp.extensions import db

REDIS_DB7 = "redis://127.0.0.1:6379/7"


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fresh_app(tmp_path):
    """A second app of its own (its own database file), for settings the session app lacks."""
    def make(create_tables=True, **overrides):
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.sqlite3", "STORAGE_DIR": str(tmp_path),
                          "RATELIMIT_ENABLED": False, "JOBS_LOCAL_PERIODIC": False, **overrides})
        if create_tables:
            with app.app_context():
                db.create_all()
        return app
    return make


def test_healthz_says_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_the_database(client, fresh_app):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json == {"status": "ok", "checks": {"database": "ok"}}
    away = fresh_app(create_tables=False, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/none")
    response = away.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # the reason goes to the log only


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running at 127.0.0.1:6379")
def test_readyz_checks_the_broker_when_one_is_configured(fresh_app):
    ready = fresh_app(BROKER_URL=REDIS_DB7).test_client().get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok", "broker": "ok"}
    gone = fresh_app(BROKER_URL=f"redis://127.0.0.1:{closed_port()}/7").test_client().get("/readyz")
    assert gone.status_code == 503 and gone.json["checks"] == {"database": "ok", "broker": "unavailable"}


def test_health_checks_are_never_rate_limited(fresh_app):
    app = fresh_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute", RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(6)] == [200] * 6
    assert [client.get("/readyz").status_code for _ in range(6)] == [200] * 6
    # ...while the same default limit does apply to the other pages:
    assert 429 in [client.get("/login").status_code for _ in range(6)]


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "forumapp.requests"]


def test_one_log_line_per_request_with_its_id_status_and_time(client, caplog):
    # (buffered: the test client then reads the whole body, as a server does; the line is
    # written when the body has been sent.)
    with caplog.at_level(logging.INFO, logger="forumapp.requests"):
        ok = client.get("/healthz?token=secret", buffered=True)
        missing = client.get("/no/such/page", buffered=True)
        posted = client.post("/login", data={}, buffered=True)
    lines = request_lines(caplog)
    assert len(lines) == 3
    for line, response, method, path, status in [(lines[0], ok, "GET", "/healthz", 200),
                                                 (lines[1], missing, "GET", "/no/such/page", 404),
                                                 (lines[2], posted, "POST", "/login", 400)]:
        message = line.getMessage()
        request_id = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        assert re.fullmatch(rf'request_id={request_id} method={method} path="{path}" status={status} '
                            r"duration_ms=\d+\.\d", message), message
    assert len({r.headers["X-Request-ID"] for r in (ok, missing, posted)}) == 3
    assert "secret" not in caplog.text  # query strings are not logged


def test_a_crafted_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="forumapp.requests"):
        client.get("/x%0Arequest_id=forged status=200", buffered=True)
    (line,) = request_lines(caplog)
    assert "\n" not in line.getMessage() and '\\n' in line.getMessage()


def test_the_request_id_is_on_error_pages(client, fresh_app):
    response = client.get("/no/such/page")
    request_id = response.headers["X-Request-ID"]
    assert f"please quote the request ID {request_id}" in response.get_data(as_text=True)
    app = fresh_app()
    app.testing = False  # a crash is answered with the 500 page, as in production
    app.add_url_rule("/crash", "crash", lambda: 1 / 0)
    crashed = app.test_client().get("/crash", headers={"Accept-Language": "en"})
    assert crashed.status_code == 500
    assert f"please quote the request ID {crashed.headers['X-Request-ID']}" in crashed.get_data(as_text=True)


def test_a_visitors_own_request_id_is_ignored_but_a_trusted_proxys_is_kept(client, fresh_app):
    assert client.get("/healthz", headers={"X-Request-ID": "visitor-chosen-id"}).headers["X-Request-ID"] != "visitor-chosen-id"
    behind_nginx = fresh_app(TRUSTED_PROXIES=1).test_client()
    assert behind_nginx.get("/healthz", headers={"X-Request-ID": "0f3c9a2e8b7d4c1a"}).headers["X-Request-ID"] == "0f3c9a2e8b7d4c1a"
    forged = behind_nginx.get("/healthz", headers={"X-Request-ID": "bad id\twith tab"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)
