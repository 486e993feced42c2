"""Sessions and sign-in: a copied session cookie dies at sign-out, the sign-in form costs the
same work whether or not the address has an account, `create-admin` takes only addresses the
form accepts, and cookies/HSTS follow an https public address."""

from __future__ import annotations

import hashlib

import pytest

from forumapp.accounts.models import User
from forumapp.extensions import db
from tests.conftest import csrf_token, login
from tests.security.conftest import browser_on

MANAGE = "/manage/"


def _copy_session(source, target) -> None:
    # The test client's host: forum.test, or localhost while the browser tests' server runs.
    cookie = source.get_cookie("session", domain=source.application.config.get("SERVER_NAME") or "localhost")
    target.set_cookie("session", cookie.value, domain=cookie.domain)


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, organiser):
    assert login(client).status_code == 302
    thief = app.test_client()
    _copy_session(client, thief)
    assert thief.get(MANAGE).status_code == 200, "the copy works while the session lasts"
    token = csrf_token(client, MANAGE)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    response = thief.get(MANAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_password_ends_the_sessions_signed_in_before(app, client, organiser):
    assert login(client).status_code == 302
    assert client.get(MANAGE).status_code == 200
    user = db.session.get(User, organiser.id)
    user.set_password("a completely new passphrase")
    db.session.commit()
    assert client.get(MANAGE).status_code == 302
    assert login(client, password="a completely new passphrase").status_code == 302
    assert client.get(MANAGE).status_code == 200


def test_a_cookie_naming_only_the_user_id_is_not_accepted(app, client, organiser):
    with client.session_transaction() as session:
        session["_user_id"] = str(organiser.id)  # the cookie before session tokens, or a forged one
        session["_fresh"] = True
    assert client.get(MANAGE).status_code == 302


@pytest.fixture
def hash_work(monkeypatch):
    """Counts the password-hash computations (werkzeug's scrypt and pbkdf2 both go through
    hashlib), however the sign-in code reaches them."""
    calls = []
    for name in ("scrypt", "pbkdf2_hmac"):
        original = getattr(hashlib, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(hashlib, name, counted)
    return calls


def test_an_unknown_address_costs_the_same_hash_work_as_a_known_one(client, organiser, hash_work):
    from forumapp.accounts import services

    services._hash_of_nobody()  # made once per process; not part of a sign-in
    hash_work.clear()
    assert login(client, password="wrong password").status_code == 200
    known = len(hash_work)
    hash_work.clear()
    assert login(client, email="nobody@example.kz", password="wrong password").status_code == 200
    unknown = len(hash_work)
    assert known == 1 and unknown == known


def test_a_disabled_account_costs_the_same_too(client, organiser, hash_work):
    organiser.is_active_account = False
    db.session.commit()
    hash_work.clear()
    assert login(client).status_code == 200
    assert len(hash_work) == 1


@pytest.mark.parametrize("address", ["admin", "admin@localhost", "admin@forum", "a b@example.kz", "admin@@example.kz",
                                     "x" * 250 + "@example.kz"])
def test_create_admin_refuses_addresses_the_sign_in_form_refuses(runner, client, address):
    result = runner.invoke(args=["users", "create-admin", address, "--password", "correct horse battery"])
    assert result.exit_code != 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    # The sign-in form says the same about that address.
    token = csrf_token(client, "/login")
    page = client.post("/login", data={"email": address, "password": "x" * 10, "csrf_token": token})
    assert page.status_code == 200 and "Invalid email address" in page.get_data(as_text=True)


def test_create_admin_accepts_an_address_the_form_accepts_and_it_can_sign_in(runner, client):
    result = runner.invoke(args=["users", "create-admin", " Gulmira@Example.KZ ", "--password", "correct horse battery"])
    assert result.exit_code == 0, result.output
    assert login(client, email="gulmira@example.kz").status_code == 302


def test_team_form_refuses_an_address_nobody_could_sign_in_with(admin_client):
    from tests.registration.helpers import open_event

    open_event()
    token = csrf_token(admin_client, "/manage/e/test-forum/team")
    page = admin_client.post("/manage/e/test-forum/team", data={
        "csrf_token": token, "email": "staff@localhost", "password": "correct horse battery", "role": "checkin_staff"})
    assert page.status_code == 200
    assert db.session.scalar(db.select(User).filter_by(email="staff@localhost")) is None


# ---- cookies and HSTS --------------------------------------------------------------------------


def test_an_https_site_sends_secure_cookies_and_hsts(deployed_app):
    site = browser_on(deployed_app(), "forum.example.kz")
    response = site.get("/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_secure_cookies_and_hsts_can_be_configured(deployed_app):
    site = browser_on(deployed_app(SECURE_COOKIES=False, HSTS_SECONDS=0), "forum.example.kz")
    response = site.get("/login")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers
    plain = browser_on(deployed_app(PUBLIC_URL="http://forum.example.kz/"), "forum.example.kz", scheme="http")
    response = plain.get("/login")
    assert "Secure" not in response.headers["Set-Cookie"] and "Strict-Transport-Security" not in response.headers
    forced = browser_on(deployed_app(PUBLIC_URL="http://forum.example.kz/", SECURE_COOKIES=True, HSTS_SECONDS=600),
                        "forum.example.kz", scheme="http")
    response = forced.get("/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=600"
