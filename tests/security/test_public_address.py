"""Links that leave the app are built from FORUMAPP_PUBLIC_URL, never from the Host (or
X-Forwarded-Host) of the request; requests for hosts the app does not serve are refused."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from forumapp import create_app
from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage
from forumapp.urls import ConfigurationError
from tests.conftest import make_item
from tests.registration.helpers import open_event, register, registrations
from tests.security.conftest import PUBLIC_URL, browser_on

ATTACKER = "attacker.example"


def _messages() -> list[OutgoingMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutgoingMessage).order_by(OutgoingMessage.id)))


def _resend(client, email="asel@example.kz"):
    html = client.get("/e/test-forum/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post("/e/test-forum/register/resend", data={"csrf_token": token, "email": email})


@pytest.fixture
def registered(client):
    open_event()
    assert register(client).status_code == 302
    return registrations()[0]


def test_resend_under_a_foreign_host_is_refused_and_sends_nothing(client, registered):
    before = len(_messages())
    response = client.post("/e/test-forum/register/resend", data={"email": "asel@example.kz"},
                           headers={"Host": ATTACKER})
    assert response.status_code == 400
    assert len(_messages()) == before
    assert all(ATTACKER not in m.body_text for m in _messages())


def test_the_private_link_is_on_the_public_address_whatever_host_was_asked(deployed_app, registered):
    # A second name the site answers to: the request is served, the link still uses the address.
    deployed = deployed_app(ALLOWED_HOSTS=["www.forum.example.kz"])
    assert _resend(browser_on(deployed, "www.forum.example.kz")).status_code == 302
    link = _messages()[-1].body_text
    assert f"{PUBLIC_URL}e/test-forum/r/{registered.token}" in link
    assert "www.forum.example.kz" not in link


def test_forwarded_host_is_checked_behind_trusted_proxies(deployed_app, registered):
    deployed = deployed_app(TRUSTED_PROXIES=1)
    before = len(_messages())
    attacked = browser_on(deployed, "forum.example.kz", HTTP_X_FORWARDED_HOST=ATTACKER)
    assert attacked.get("/e/test-forum/register").status_code == 400
    assert attacked.post("/e/test-forum/register/resend", data={"email": "asel@example.kz"}).status_code == 400
    assert len(_messages()) == before
    # Through the proxy under the site's own name, the e-mail goes out with the public address.
    proxied = browser_on(deployed, "127.0.0.1:8000", scheme="http", HTTP_X_FORWARDED_HOST="forum.example.kz",
                         HTTP_X_FORWARDED_PROTO="https", HTTP_REFERER=PUBLIC_URL)
    assert _resend(proxied).status_code == 302
    assert f"{PUBLIC_URL}e/test-forum/r/{registered.token}" in _messages()[-1].body_text
    assert all(ATTACKER not in m.body_text for m in _messages())


def test_without_trusted_proxies_forwarded_host_is_ignored(deployed_app, registered):
    deployed = deployed_app()
    client = browser_on(deployed, "forum.example.kz", HTTP_X_FORWARDED_HOST=ATTACKER)
    assert _resend(client).status_code == 302
    assert f"{PUBLIC_URL}e/test-forum/r/{registered.token}" in _messages()[-1].body_text
    assert all(ATTACKER not in m.body_text for m in _messages())


def test_ical_and_schedule_links_use_the_public_address(deployed_app, client):
    event = open_event()
    item = make_item(event)
    deployed = deployed_app(ALLOWED_HOSTS=["www.forum.example.kz"])
    visitor = browser_on(deployed, "www.forum.example.kz")
    calendar = Calendar.from_ical(visitor.get("/e/test-forum/programme.ics").data)
    urls = [str(component.get("url")) for component in calendar.walk("VEVENT")]
    assert urls == [f"{PUBLIC_URL}e/test-forum/items/{item.id}"]
    for path in ("/e/test-forum/schedule.json", "/e/test-forum/schedule.xml"):
        body = visitor.get(path).get_data(as_text=True)
        assert PUBLIC_URL in body and "www.forum.example.kz" not in body, path


def test_team_page_shows_the_check_in_address_on_the_public_address(app, admin_client, monkeypatch):
    open_event()
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)  # requests still come as forum.test
    page = admin_client.get("/manage/e/test-forum/team").get_data(as_text=True)
    assert re.search(rf">{re.escape(PUBLIC_URL)}\S*/checkin</a>", page)
    assert "http://forum.test/" not in page


# ---- configuration -----------------------------------------------------------------------------


def test_production_does_not_start_without_a_public_address(app):
    production = {"TESTING": False, "ENVIRONMENT": "production", "PUBLIC_URL": "",
                  "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "STORAGE_DIR": app.config["STORAGE_DIR"]}
    with pytest.raises(ConfigurationError, match="FORUMAPP_PUBLIC_URL"):
        create_app(production)
    # A PostgreSQL database means production even without FORUMAPP_ENV.
    with pytest.raises(ConfigurationError, match="FORUMAPP_PUBLIC_URL"):
        create_app({**production, "ENVIRONMENT": "", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.example/forum"})


def test_a_public_address_that_is_not_a_site_address_is_refused(app):
    for wrong in ("forum.example.kz", "ftp://forum.example.kz/", "https://forum.example.kz/?x=1"):
        with pytest.raises(ConfigurationError):
            create_app({"TESTING": True, "PUBLIC_URL": wrong, "STORAGE_DIR": app.config["STORAGE_DIR"],
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


def test_the_embedded_default_uses_the_local_address_and_answers_only_locally(app):
    local = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PUBLIC_URL": "",
                        "ENVIRONMENT": "development",
                        "STORAGE_DIR": app.config["STORAGE_DIR"], "RATELIMIT_ENABLED": False,
                        "JOBS_LOCAL_PERIODIC": False})
    assert local.config["PUBLIC_URL"] == "http://127.0.0.1:5000/"
    assert browser_on(local, "127.0.0.1:5000", scheme="http").get("/").status_code == 200
    assert browser_on(local, "localhost:8080", scheme="http").get("/").status_code == 200
    assert browser_on(local, ATTACKER, scheme="http").get("/").status_code == 400
