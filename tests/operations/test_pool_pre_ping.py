"""Why `pool_pre_ping` is on: a pooled connection the database server has closed (a restart, a
failover, an idle timeout, pg_terminate_backend) is found dead before a request uses it. Without
the ping the first request to draw it fails (a 503 page), although the database is up."""

import pytest
import sqlalchemy as sa

from forumapp import create_app
from forumapp.extensions import db
from tests.conftest import ON_POSTGRES, make_event

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the server closing connections is PostgreSQL's")


def _app_with(app, pre_ping: bool):
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "STORAGE_DIR": app.config["STORAGE_DIR"], "RATELIMIT_ENABLED": False, "SERVER_NAME": "forum.test",
        "JOBS_EAGER": True, "BROKER_URL": "", "PAGE_CACHE": False,
        # pool_size 1: the connection that is closed is the one the next request draws.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": pre_ping, "pool_size": 1, "max_overflow": 0},
    })


def _close_pooled_connection_from_the_server(app) -> None:
    with app.app_context():
        with db.engine.connect() as conn:
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    # A connection of its own ends that backend, as a server restart would.
    admin = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


@pytest.mark.parametrize("pre_ping, first_status", [(True, 200), (False, 503)])
def test_a_connection_closed_by_the_server_is_replaced_before_a_request_uses_it(app, pre_ping, first_status):
    event = make_event()
    db.session.commit()
    other = _app_with(app, pre_ping)
    client = other.test_client()
    assert client.get(f"/e/{event.slug}/").status_code == 200  # the pool now holds a connection
    _close_pooled_connection_from_the_server(other)
    assert client.get(f"/e/{event.slug}/").status_code == first_status
    # Either way the pool recovers: the dead connection is discarded.
    assert client.get(f"/e/{event.slug}/").status_code == 200
    with other.app_context():
        db.engine.dispose()
