"""The `next` a form posts (or the sign-in page carries) leads only to a page of this site."""

from __future__ import annotations

import pytest

from forumapp.urls import safe_next
from tests.conftest import csrf_token, login, make_item
from tests.registration.helpers import open_event, register, registrations

HOSTILE = [
    "https://attacker.example/phish",
    "//attacker.example/phish",
    "///attacker.example/phish",
    "\\\\attacker.example/phish",
    "/\\attacker.example/phish",
    "/\t/attacker.example/phish",
    "/\n/attacker.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:attacker.example",
    "https://forum.test@attacker.example/",
    "https://forum.test.attacker.example/",
    "attacker.example",
    "manage/events",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_anything_that_can_leave_the_site(app, target):
    with app.test_request_context("/", base_url="http://forum.test"):
        assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target, expected", [
    ("/manage/e/test-forum/registrations?status=waiting", "/manage/e/test-forum/registrations?status=waiting"),
    ("/e/test-forum/", "/e/test-forum/"),
    ("http://forum.test/manage/?x=1", "/manage/?x=1"),  # Flask-Login's own next= is absolute
])
def test_safe_next_keeps_paths_of_this_site(app, target, expected):
    with app.test_request_context("/", base_url="http://forum.test"):
        assert safe_next(target, "/fallback") == expected


def _location(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


@pytest.mark.parametrize("target", ["https://attacker.example/", "//attacker.example/", "/\\attacker.example"])
def test_registration_actions_redirect_only_within_the_site(client, admin_client, target):
    open_event()
    register(client)
    reg = registrations()[0]
    page = "/manage/e/test-forum/registrations"
    token = csrf_token(admin_client, page)
    response = admin_client.post(f"{page}/{reg.id}/cancel", data={"csrf_token": token, "next": target})
    assert _location(response) == page
    token = csrf_token(admin_client, page)
    response = admin_client.post(f"{page}/{reg.id}/to_waiting", data={"csrf_token": token, "next": f"{page}?q=x"})
    assert _location(response) == f"{page}?q=x", "a path of the site is kept"


@pytest.mark.parametrize("target", ["https://attacker.example/", "//attacker.example/", "\\\\attacker.example"])
def test_issuing_and_printing_certificates_redirect_only_within_the_site(admin_client, target):
    event = open_event()
    ceremony = make_item(event, "Церемония", kind="award_ceremony")
    base = "/manage/e/test-forum/awards"
    token = csrf_token(admin_client, f"{base}/c/{ceremony.id}")
    issued = admin_client.post(f"{base}/issue", data={"csrf_token": token, "kind": "award",
                                                      "ceremony_item_id": ceremony.id, "next": target})
    assert "attacker" not in _location(issued)
    printed = admin_client.post(f"{base}/print", data={"csrf_token": token, "kind": "award",
                                                       "ceremony_item_id": ceremony.id, "next": target})
    assert "attacker" not in _location(printed)


@pytest.mark.parametrize("target", ["https://attacker.example/", "//attacker.example/", "/\t/attacker.example"])
def test_sign_in_redirects_only_within_the_site(client, organiser, target):
    token = csrf_token(client, "/login")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "organiser@example.kz", "password": "correct horse battery", "csrf_token": token})
    if "\t" in target:
        # A control character in the address is refused before anything else (forumapp/input_guard.py).
        assert response.status_code == 400
    else:
        assert "attacker" not in _location(response)
    assert login(client).status_code == 302
