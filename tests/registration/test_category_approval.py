"""Approval cannot be skipped by changing category (issue 12 item 6): the forms offer the public
categories only, and a change that needs approval puts the registration back under review, said
on the page and in the e-mail."""

from __future__ import annotations

import re

import pytest

from forumapp.extensions import db
from forumapp.registration import newcomers, services
from forumapp.registration.models import OutgoingMessage, ParticipantCategory, Registration
from tests.conftest import csrf_token
from tests.registration.helpers import open_event, register, registrations


def category(event, code) -> ParticipantCategory:
    return db.session.scalar(db.select(ParticipantCategory).filter_by(event_id=event.id, code=code))


def private_page(registration) -> str:
    return f"/e/test-forum/r/{registration.token}"


def save_details(client, registration, category_id):
    url = private_page(registration)
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(url, data={
        "csrf_token": token, "full_name": registration.full_name, "category": str(category_id), "locale": "en",
    }, follow_redirects=True)


def approve(client, registration):
    """An organiser approves through the action button (the same browser: the private page
    works whoever is signed in)."""
    token = csrf_token(client, f"/manage/e/test-forum/registrations/{registration.id}")
    response = client.post(f"/manage/e/test-forum/registrations/{registration.id}/approve",
                           data={"csrf_token": token})
    assert response.status_code == 302


def test_an_approved_delegate_who_switches_to_press_goes_back_to_approval(admin_client):
    client = admin_client
    event = open_event(capacity=1, approval=True)
    register(client, "Әсел Нұрланқызы", "asel@example.kz")
    register(client, "Иван Петров", "ivan@example.kz")
    asel, ivan = registrations()
    approve(client, asel)
    approve(client, ivan)
    asel, ivan = registrations()
    assert (asel.status, ivan.status) == ("confirmed", "waiting")

    page = save_details(client, asel, category(event, "press").id).get_data(as_text=True)
    assert "back under review" in page
    asel, ivan = registrations()
    assert asel.status == "pending" and asel.category.code == "press"
    assert ivan.status == "confirmed"  # the freed place went to the next person waiting
    mail = db.session.scalar(db.select(OutgoingMessage).filter_by(registration_id=asel.id, kind="category_review"))
    assert mail is not None and "back under review" in mail.body_text and "Press" in mail.body_text
    assert "The organisers will review your registration" in client.get(private_page(asel)).get_data(as_text=True)


def test_in_an_open_event_only_a_category_that_needs_approval_sends_back_to_approval(client):
    event = open_event()
    register(client)
    [asel] = registrations()
    assert asel.status == "confirmed"
    save_details(client, asel, category(event, "exhibitor").id)
    [asel] = registrations()
    assert asel.status == "confirmed" and asel.category.code == "exhibitor"
    assert "back under review" in save_details(client, asel, category(event, "press").id).get_data(as_text=True)
    [asel] = registrations()
    assert asel.status == "pending"


def test_registering_as_press_waits_for_approval_in_an_open_event(client):
    event = open_event()
    assert register(client, category=str(category(event, "press").id)).status_code == 302
    [asel] = registrations()
    assert asel.status == "pending"


def test_categories_that_are_not_public_cannot_be_chosen_on_either_form(client):
    event = open_event()
    speaker = category(event, "speaker")
    assert f'value="{speaker.id}"' not in client.get("/e/test-forum/register").get_data(as_text=True)
    response = register(client, category=str(speaker.id))
    assert response.status_code == 400 and registrations() == []
    register(client)
    [asel] = registrations()
    assert f'value="{speaker.id}"' not in client.get(private_page(asel)).get_data(as_text=True)
    assert save_details(client, asel, speaker.id).status_code == 400
    [asel] = registrations()
    assert asel.category.code == "delegate"


def test_a_category_given_by_the_organisers_is_kept_when_the_participant_saves(admin_client):
    client = organiser = admin_client
    event = open_event()
    register(client)
    [asel] = registrations()
    detail = f"/manage/e/test-forum/registrations/{asel.id}"
    speaker = category(event, "speaker")
    response = organiser.post(f"{detail}/category", data={"csrf_token": csrf_token(organiser, detail),
                                                          "category": str(speaker.id)})
    assert response.status_code == 302
    page = save_details(client, asel, speaker.id)
    assert page.status_code == 200 and "Your changes are saved." in page.get_data(as_text=True)
    [asel] = registrations()
    assert asel.category_id == speaker.id and asel.status == "confirmed"


def test_the_services_refuse_a_category_of_another_event_or_one_that_is_not_public(client):
    event = open_event()
    other = open_event(slug="other-forum")
    register(client)
    [asel] = registrations()
    for refused in (category(other, "delegate"), category(event, "speaker")):
        applicant = services.Applicant(full_name="Әсел", email="ivan@example.kz", consent=True, locale="en",
                                       category_id=refused.id)
        with pytest.raises(services.RegistrationError):
            services.update_details(db.session.get(Registration, asel.id), applicant)
        with pytest.raises(services.RegistrationError):
            newcomers.register(event, applicant)
    assert [r.email for r in registrations()] == ["asel@example.kz"]
    assert registrations()[0].category.code == "delegate"
