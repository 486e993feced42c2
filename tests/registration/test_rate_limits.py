"""Rate limits on the public registration endpoints (Flask-Limiter), with limits switched on.

The session's app runs with RATELIMIT_ENABLED False so that other tests can post freely; these
tests use a second app on the same database with limits on. Flask-Limiter keeps its state on the
one `limiter` object, so the fixture switches it back off afterwards."""

from __future__ import annotations

import re

import pytest

from forumapp import create_app
from forumapp.extensions import db, limiter
from forumapp.registration.models import OutgoingMessage
from tests.registration.helpers import open_event, registrations

PER_MINUTE = 30


def _limited_app(app, **overrides):
    limited = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "SERVER_NAME": app.config["SERVER_NAME"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        **overrides,
    })
    limiter.reset()
    return limited


@pytest.fixture
def limited_apps(app):
    made = []

    def make(**overrides):
        made.append(_limited_app(app, **overrides))
        return made[-1]

    yield make
    limiter.reset()
    limiter.enabled = False
    for each in made:
        with each.app_context():
            db.engine.dispose()


def browser(limited_app, lang="en", **environ):
    client = limited_app.test_client()
    client.environ_base.update({"HTTP_ACCEPT_LANGUAGE": lang, **environ})
    return client


def fields(client) -> dict:
    html = client.get("/e/test-forum/register").get_data(as_text=True)
    return dict(re.findall(r'name="(csrf_token|nonce)" type="hidden" value="([^"]+)"', html))


def bad_submit(client, data):
    """A submit with a wrong e-mail: answered 400 with the form, and counted by the limit."""
    return client.post("/e/test-forum/register", data={**data, "full_name": "Әсел", "email": "not-an-email"})


def test_the_registration_form_answers_429_with_a_translated_page_after_30_submits_a_minute(limited_apps):
    open_event()
    client = browser(limited_apps())
    data = fields(client)
    for _ in range(PER_MINUTE):
        assert bad_submit(client, data).status_code == 400
    response = bad_submit(client, data)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and "Traceback" not in page
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # In the visitor's language, Russian and Kazakh.
    ru = client.post("/e/test-forum/register?lang=ru", data=data)
    assert ru.status_code == 429 and "Слишком много попыток" in ru.get_data(as_text=True)
    kk = client.post("/e/test-forum/register?lang=kk", data=data)
    assert kk.status_code == 429 and "Әрекет тым көп" in kk.get_data(as_text=True)
    # Opening the form is not limited; nothing was registered.
    assert client.get("/e/test-forum/register").status_code == 200
    assert registrations() == []


def test_the_resend_link_endpoint_is_limited_too(limited_apps):
    open_event()
    client = browser(limited_apps())
    token = fields(client)["csrf_token"]
    for _ in range(PER_MINUTE):
        response = client.post("/e/test-forum/register/resend", data={"csrf_token": token, "email": "nobody@example.kz"})
        assert response.status_code == 302
    response = client.post("/e/test-forum/register/resend", data={"csrf_token": token, "email": "nobody@example.kz"})
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) == 0


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(limited_apps):
    """With FORUMAPP_TRUSTED_PROXIES=1 the address is the one nginx puts in X-Forwarded-For, so
    participants behind one proxy do not share a limit; without it the header is ignored, so a
    forged header cannot get round the limit."""
    open_event()
    proxied = limited_apps(TRUSTED_PROXIES=1)
    first = browser(proxied, HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = browser(proxied, HTTP_X_FORWARDED_FOR="203.0.113.2")
    first_data, second_data = fields(first), fields(second)
    for _ in range(PER_MINUTE):
        bad_submit(first, first_data)
    assert bad_submit(first, first_data).status_code == 429
    assert bad_submit(second, second_data).status_code == 400

    direct = limited_apps()
    forger = browser(direct)
    data = fields(forger)
    for n in range(PER_MINUTE):
        forger.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}"
        bad_submit(forger, data)
    forger.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.200"
    assert bad_submit(forger, data).status_code == 429


def test_a_longer_wait_is_said_in_minutes(limited_apps):
    """The hourly limit (300 submits) says how many minutes are left, in the visitor's language."""
    limited = limited_apps()

    @limited.route("/hourly-test")
    @limiter.limit("1 per hour")
    def hourly():
        return "ok"

    client = browser(limited, "ru")
    assert client.get("/hourly-test").status_code == 200
    response = client.get("/hourly-test")
    assert response.status_code == 429
    assert 3500 < int(response.headers["Retry-After"]) <= 3600
    assert "Попробуйте снова через 60 мин." in response.get_data(as_text=True)
    en = client.get("/hourly-test?lang=en").get_data(as_text=True)
    assert "Please try again in 60 min." in en
