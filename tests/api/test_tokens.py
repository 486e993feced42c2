"""Registrations, check-in and the waiting list with an organiser's API token; the tokens
themselves (made and revoked on the event's page, stored hashed)."""

from __future__ import annotations

import hashlib
import re

from forumapp.accounts.models import EventRole
from forumapp.api.models import ApiToken
from forumapp.extensions import db
from forumapp.registration.models import Registration
from tests.api.helpers import ORGANISER_EMAIL, PASSWORD, bearer, conforms
from tests.conftest import csrf_token, login

BASE = "/api/v1/events/test-forum"


def registration(world, name) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, world.ids[name])


# ---- authentication ---------------------------------------------------------------------------


def test_registrations_need_a_usable_token(client, world):
    assert client.get(f"{BASE}/registrations").status_code == 401
    assert client.get(f"{BASE}/registrations").headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer fa_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "Token " + world.read_token):
        response = client.get(f"{BASE}/registrations", headers={"Authorization": header})
        assert response.status_code == 401, header
        conforms(response, "/events/{slug}/registrations")
    assert client.get(f"{BASE}/registrations", headers=bearer(world.read_token)).status_code == 200


def test_a_token_finds_nothing_under_another_event(client, world):
    response = client.get("/api/v1/events/other-forum/registrations", headers=bearer(world.read_token))
    assert response.status_code == 404
    mine = world.ids["Әсел Нұрланқызы"]
    assert client.get(f"{BASE}/registrations/{mine}", headers=bearer(world.other_token)).status_code == 404
    scan = client.post("/api/v1/events/other-forum/checkin", json={"code": world.codes["Әсел Нұрланқызы"]},
                       headers=bearer(world.other_token))
    assert scan.get_json()["result"] == "other_event" and scan.get_json()["registration"] is None
    assert registration(world, "Әсел Нұрланқызы").checked_in_at is None


def test_a_read_only_token_cannot_write(client, world):
    writes = [
        ("POST", f"{BASE}/checkin", {"code": world.codes["Әсел Нұрланқызы"]}),
        ("POST", f"{BASE}/registrations/{world.ids['Dana Waiting']}/promote", {}),
        ("DELETE", f"{BASE}/registrations/{world.ids['Әсел Нұрланқызы']}/checkin", None),
    ]
    for method, url, body in writes:
        response = client.open(url, method=method, json=body, headers=bearer(world.read_token))
        assert response.status_code == 403, url
        assert response.get_json()["error"]["code"] == "read_only_token"
    assert registration(world, "Әсел Нұрланқызы").checked_in_at is None
    assert registration(world, "Dana Waiting").status == "waiting"


def test_a_signed_in_browser_cannot_write_through_the_api(client, world):
    """No CSRF exemption for cookies: the API never reads the session, so an organiser's signed-in
    browser (which another site could make post here) is an anonymous caller to the API."""
    assert login(client, ORGANISER_EMAIL, PASSWORD).status_code == 302
    token = csrf_token(client, "/manage/e/test-forum/api-tokens")
    code = world.codes["Әсел Нұрланқызы"]
    for data in ({"code": code, "csrf_token": token}, None):
        response = client.post(f"{BASE}/checkin", data=data, json=None if data else {"code": code})
        assert response.status_code == 401
    assert client.get(f"{BASE}/registrations").status_code == 401
    assert registration(world, "Әсел Нұрланқызы").checked_in_at is None


def test_a_revoked_token_and_one_whose_maker_left_the_team_stop_working(client, world):
    token = db.session.scalar(db.select(ApiToken).filter_by(name="CRM"))
    token_rw = db.session.scalar(db.select(ApiToken).filter_by(name="Badge printer"))
    from forumapp.api import tokens

    tokens.revoke(token)
    assert client.get(f"{BASE}/registrations", headers=bearer(world.read_token)).status_code == 401
    assert client.get(f"{BASE}/registrations", headers=bearer(world.write_token)).status_code == 200
    db.session.execute(db.delete(EventRole).where(EventRole.user_id == token_rw.created_by_id))
    db.session.commit()
    assert client.get(f"{BASE}/registrations", headers=bearer(world.write_token)).status_code == 401


def test_tokens_are_stored_hashed_and_note_their_last_use(client, world):
    stored = db.session.scalars(db.select(ApiToken)).all()
    for token in stored:
        assert token.secret_hash not in (world.read_token, world.write_token)
        assert len(token.secret_hash) == 64 and token.prefix.startswith("fa_")
    read = db.session.scalar(db.select(ApiToken).filter_by(name="CRM"))
    assert read.secret_hash == hashlib.sha256(world.read_token.encode()).hexdigest()
    assert read.last_used_at is None
    client.get(f"{BASE}/registrations", headers=bearer(world.read_token))
    db.session.expire_all()
    assert db.session.get(ApiToken, read.id).last_used_at is not None


# ---- registrations ----------------------------------------------------------------------------


def test_list_filter_and_read_registrations(client, world):
    response = client.get(f"{BASE}/registrations", headers=bearer(world.read_token))
    body = conforms(response, "/events/{slug}/registrations")
    assert [r["full_name"] for r in body["data"]] == ["Әсел Нұрланқызы", "Иван Петров", "Dana Waiting"]
    assert "private" in response.headers["Cache-Control"]
    assert "token" not in body["data"][0]  # the participant's private link never leaves
    waiting = client.get(f"{BASE}/registrations?status=waiting", headers=bearer(world.read_token)).get_json()
    assert [r["full_name"] for r in waiting["data"]] == ["Dana Waiting"]
    assert waiting["data"][0]["waiting_position"] == 1
    found = client.get(f"{BASE}/registrations?q=иван", headers=bearer(world.read_token)).get_json()
    assert [r["full_name"] for r in found["data"]] == ["Иван Петров"]
    none_in = client.get(f"{BASE}/registrations?checked_in=true", headers=bearer(world.read_token)).get_json()
    assert none_in["meta"]["total"] == 0
    one = client.get(f"{BASE}/registrations/{world.ids['Иван Петров']}", headers=bearer(world.read_token))
    assert conforms(one, "/events/{slug}/registrations/{registration_id}")["email"] == "ivan@example.kz"
    paged = client.get(f"{BASE}/registrations?per_page=2&status=confirmed", headers=bearer(world.read_token))
    assert paged.get_json()["links"]["next"] is None and paged.get_json()["meta"]["total"] == 2
    again = client.get(f"{BASE}/registrations", headers={**bearer(world.read_token),
                                                          "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_check_in_by_ticket_code_then_undo(client, world):
    code = world.codes["Әсел Нұрланқызы"]
    first = client.post(f"{BASE}/checkin", json={"code": code}, headers=bearer(world.write_token))
    body = conforms(first, "/events/{slug}/checkin", "post")
    assert body["result"] == "checked_in" and body["ok"] is True
    assert body["registration"]["id"] == world.ids["Әсел Нұрланқызы"]
    assert registration(world, "Әсел Нұрланқызы").checked_in_by_id == world.ids["organiser"]
    second = client.post(f"{BASE}/checkin", json={"code": code}, headers=bearer(world.write_token)).get_json()
    assert second["result"] == "already_checked_in" and second["checked_in_at"] == body["checked_in_at"]
    waiting = client.post(f"{BASE}/checkin", json={"code": world.codes["Dana Waiting"]},
                          headers=bearer(world.write_token)).get_json()
    assert waiting["result"] == "waiting" and waiting["ok"] is False
    forged = client.post(f"{BASE}/checkin", json={"code": code[:-2] + "xx"}, headers=bearer(world.write_token))
    assert forged.get_json()["result"] == "invalid"
    at_door = client.post(f"{BASE}/checkin", json={"code": code, "item_id": world.ids["plenary"]},
                          headers=bearer(world.write_token)).get_json()
    assert at_door["result"] == "checked_in" and at_door["item_id"] == world.ids["plenary"]

    undo = client.delete(f"{BASE}/registrations/{world.ids['Әсел Нұрланқызы']}/checkin",
                         headers=bearer(world.write_token))
    assert conforms(undo, "/events/{slug}/registrations/{registration_id}/checkin", "delete")["undone"] is True
    assert registration(world, "Әсел Нұрланқызы").checked_in_at is None
    again = client.delete(f"{BASE}/registrations/{world.ids['Әсел Нұрланқызы']}/checkin",
                          headers=bearer(world.write_token))
    assert again.get_json()["undone"] is False


def test_check_in_refuses_bad_bodies_with_json_errors(client, world):
    cases = [
        ({"data": "code=x", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"json": ["code"]}, 422),
        ({"json": {}}, 422),
        ({"json": {"code": ""}}, 422),
        ({"json": {"code": 5}}, 422),
        ({"json": {"code": "x", "extra": 1}}, 422),
        ({"json": {"code": "x", "item_id": world.ids["draft"]}}, 422),
        ({"json": {"code": "x", "item_id": "1"}}, 422),
    ]
    for kwargs, status in cases:
        response = client.post(f"{BASE}/checkin", headers=bearer(world.write_token), **kwargs)
        assert response.status_code == status, kwargs
        conforms(response, "/events/{slug}/checkin", "post")
    nul = client.post(f"{BASE}/checkin", json={"code": "T1.1.1.\u0000"}, headers=bearer(world.write_token))
    assert nul.get_json()["result"] == "invalid"


def test_promote_from_the_waiting_list(client, world):
    url = f"{BASE}/registrations/{world.ids['Dana Waiting']}/promote"
    full = client.post(url, headers=bearer(world.write_token))
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "event_full"
    assert registration(world, "Dana Waiting").status == "waiting"
    promoted = client.post(url, json={"beyond_capacity": True}, headers=bearer(world.write_token))
    assert conforms(promoted, "/events/{slug}/registrations/{registration_id}/promote", "post")["status"] == \
        "confirmed"
    assert registration(world, "Dana Waiting").status == "confirmed"
    again = client.post(url, headers=bearer(world.write_token))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_waiting"
    bad = client.post(url, json={"beyond_capacity": "yes"}, headers=bearer(world.write_token))
    assert bad.status_code == 422


# ---- the organisers' page ---------------------------------------------------------------------


def test_organiser_makes_a_token_sees_it_once_and_revokes_it(client, world):
    assert login(client, ORGANISER_EMAIL, PASSWORD).status_code == 302
    page = client.get("/manage/e/test-forum/api-tokens")
    assert page.status_code == 200 and "Badge printer" in page.get_data(as_text=True)
    token = csrf_token(client, "/manage/e/test-forum/api-tokens")
    made = client.post("/manage/e/test-forum/api-tokens",
                       data={"csrf_token": token, "name": "Mobile app", "access": "read_write"})
    html = made.get_data(as_text=True)
    secret = re.search(r'id="new-token" type="text" readonly value="(fa_[^"]+)"', html).group(1)
    assert made.headers["Cache-Control"] == "no-store"
    stored = db.session.scalar(db.select(ApiToken).filter_by(name="Mobile app"))
    assert stored.access == "read_write" and stored.prefix == secret[:11] and secret not in str(stored.__dict__)
    assert client.get(f"{BASE}/registrations", headers=bearer(secret)).status_code == 200
    listed = client.get("/manage/e/test-forum/api-tokens").get_data(as_text=True)
    assert secret not in listed and stored.prefix in listed  # shown once, then only its prefix
    client.post(f"/manage/e/test-forum/api-tokens/{stored.id}/revoke", data={"csrf_token": token})
    assert client.get(f"{BASE}/registrations", headers=bearer(secret)).status_code == 401
    refused = client.post("/manage/e/test-forum/api-tokens", data={"csrf_token": token, "name": "", "access": "x"})
    assert refused.status_code == 200 and db.session.scalar(db.select(db.func.count(ApiToken.id))) == 4


def test_the_token_page_is_valid_html(client, world, tmp_path):
    from tests.quality.test_html_validity import _validate

    assert login(client, ORGANISER_EMAIL, PASSWORD).status_code == 302
    url = "/manage/e/test-forum/api-tokens"
    token = csrf_token(client, url)
    pages = {
        "list": client.get(url).get_data(as_text=True),
        "new token": client.post(url, data={"csrf_token": token, "name": "App", "access": "read"}).get_data(
            as_text=True),
        "rejected": client.post(url, data={"csrf_token": token, "name": ""}).get_data(as_text=True),
    }
    assert 'id="new-token"' in pages["new token"] and 'class="error"' in pages["rejected"]
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_registrations_changed_since(client, world):
    from datetime import timedelta

    later = registration(world, "Иван Петров")
    later.updated_at = later.updated_at + timedelta(hours=2)
    db.session.commit()
    since = (later.updated_at - timedelta(minutes=1)).replace(microsecond=0).isoformat() + "Z"
    body = client.get(f"{BASE}/registrations?updated_since={since}", headers=bearer(world.read_token)).get_json()
    assert [r["full_name"] for r in body["data"]] == ["Иван Петров"]
