"""Second apps on the session's database, configured as a deployment would be (a public address,
proxies, Redis), for the security tests."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from forumapp import create_app
from forumapp.extensions import db, limiter

PUBLIC_URL = "https://forum.example.kz/"


@pytest.fixture
def deployed_app(app):
    """make(**config): an app like a production one on the test database, public address
    PUBLIC_URL unless given. The session app's extensions are re-bound to it meanwhile, as
    create_app does; limits stay off unless a test switches them on."""
    made = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "RATELIMIT_ENABLED": False,
            "PUBLIC_URL": PUBLIC_URL,
            **overrides,
        }
        made.append(create_app(config))
        return made[-1]

    yield make
    limiter.enabled = False
    for each in made:
        with each.app_context():
            db.engine.dispose()


class HostClient(FlaskClient):
    """A test client whose every request carries the given WSGI environ values (the test
    client's own Host, from its base URL, would otherwise replace HTTP_HOST)."""

    def __init__(self, *args, forced_environ: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.forced_environ = forced_environ

    def open(self, *args, **kwargs):
        kwargs["environ_overrides"] = {**(kwargs.get("environ_overrides") or {}), **self.forced_environ}
        return super().open(*args, **kwargs)


def browser_on(deployed, host: str, scheme: str = "https", **environ):
    """A test client whose requests carry `Host: host` (and any further WSGI environ values),
    with the Referer a browser sends (Flask-WTF insists on it over HTTPS)."""
    deployed.test_client_class = HostClient
    forced = {"HTTP_HOST": host, "wsgi.url_scheme": scheme, "HTTP_REFERER": f"{scheme}://{host}/", **environ}
    client = deployed.test_client(forced_environ=forced)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
