"""The registration form's hidden nonce: a tampered one is a 400 with a message (PostgreSQL
refused a value longer than the column with a 500), and one nonce is one form per event."""

from __future__ import annotations

import re

from tests.registration.helpers import form_fields, open_event, registration_data, registrations


def test_a_nonce_longer_than_the_column_is_refused_and_the_form_can_be_sent_again(client):
    open_event()
    data = registration_data(client)
    data["nonce"] = "n" * 65
    response = client.post("/e/test-forum/register", data=data)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The form expired. Please submit it again." in page
    assert registrations() == []
    fresh = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)
    assert fresh != data["nonce"] and len(fresh) <= 64

    response = client.post("/e/test-forum/register", data={**data, "nonce": fresh})
    assert response.status_code == 302
    assert [r.form_nonce for r in registrations()] == [fresh]


def test_a_nonce_with_characters_a_token_never_has_is_refused(client):
    open_event()
    response = client.post("/e/test-forum/register", data={**registration_data(client), "nonce": "ab\x00cd"})
    assert response.status_code == 400
    assert registrations() == []


def test_the_same_nonce_in_two_events_makes_two_registrations(client):
    open_event(slug="test-forum")
    open_event(slug="second-forum", code="SF-2016")
    data = {**registration_data(client), "nonce": "one-and-the-same-nonce"}
    assert client.post("/e/test-forum/register", data=data).status_code == 302

    second = {**registration_data(client), **form_fields(client, "/e/second-forum/register"),
              "nonce": "one-and-the-same-nonce"}
    response = client.post("/e/second-forum/register", data=second)

    assert "already registered" not in response.get_data(as_text=True)
    assert response.status_code == 302
    assert sorted(r.event.slug for r in registrations()) == ["second-forum", "test-forum"]


def test_the_same_nonce_twice_in_one_event_still_finds_the_first_registration(client):
    open_event()
    data = {**registration_data(client), "nonce": "double-click"}
    first = client.post("/e/test-forum/register", data=data)
    again = client.post("/e/test-forum/register", data={**data, "csrf_token": registration_data(client)["csrf_token"]})
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert len(registrations()) == 1
