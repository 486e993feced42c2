"""A database outage gives every visitor, signed in or not, a clean 503 page; a connection the
database dropped is replaced before use (pool_pre_ping) instead of failing a request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forumapp.extensions import db
from tests.conftest import ON_POSTGRES, login, make_event
from tests.security.conftest import browser_on

# Nothing listens on port 1: every connection attempt is refused at once.
DOWN = "postgresql+psycopg://forumapp@127.0.0.1:1/forumapp?connect_timeout=2"


def _clean_503(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:500]
    assert "briefly unavailable" in page and 'class="brand"' in page, "the site's own page, not a bare error"
    assert response.headers["Retry-After"]
    return page


def test_anonymous_visitors_get_a_clean_503_page(deployed_app):
    down = deployed_app(SQLALCHEMY_DATABASE_URI=DOWN)
    visitor = browser_on(down, "forum.example.kz")
    for path in ("/", "/e/test-forum/", "/organisations/", "/verify/abc"):
        _clean_503(visitor.get(path))


def test_signed_in_users_get_the_same_page(deployed_app, client, organiser):
    assert login(client).status_code == 302
    cookie = client.get_cookie("session", domain=client.application.config.get("SERVER_NAME") or "localhost")
    down = deployed_app(SQLALCHEMY_DATABASE_URI=DOWN)
    organiser_on_down_site = browser_on(down, "forum.example.kz")
    organiser_on_down_site.set_cookie("session", cookie.value, domain="forum.example.kz")
    for path in ("/", "/manage/", "/manage/e/test-forum/registrations"):
        page = _clean_503(organiser_on_down_site.get(path))
        assert "Sign in" in page  # drawn for an anonymous visitor: the account is not asked for


@pytest.mark.skipif(not ON_POSTGRES, reason="dropping server connections needs PostgreSQL")
@pytest.mark.parametrize("pre_ping", [True, False])
def test_the_first_request_after_dropped_connections(deployed_app, pre_ping):
    make_event()
    # Without the page cache: its replay layer would be the first to draw the dead connection
    # (and, failing, hand the request to Flask on a fresh one), hiding what this test is about.
    site = deployed_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": pre_ping}, PAGE_CACHE=False)
    visitor = browser_on(site, "forum.example.kz")
    with site.app_context():
        assert visitor.get("/e/test-forum/").status_code == 200  # a pooled connection now exists
        db.session.remove()
        # Kill the pooled connection from outside the pool.
        admin = sa.create_engine(site.config["SQLALCHEMY_DATABASE_URI"])
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                                 "AND application_name = ''"))
            conn.commit()
        admin.dispose()
        first = visitor.get("/e/test-forum/")
    if pre_ping:
        assert first.status_code == 200
    else:  # the case pool_pre_ping exists for: without it the stale connection fails the request
        _clean_503(first)


def test_the_engine_checks_connections_before_use(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert db.engine.pool._pre_ping
