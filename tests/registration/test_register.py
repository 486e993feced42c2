"""Registering through the public form: validation, duplicates, double submits, places, opening times."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forumapp.extensions import db
from forumapp.registration import services
from forumapp.registration.models import ItemSignup, OutgoingMessage, Question
from forumapp.timeutil import utcnow
from tests.conftest import csrf_token, make_item
from tests.registration.helpers import form_fields, open_event, register, registration_data, registrations


def test_the_form_offers_categories_languages_and_consent(client):
    open_event()
    page = client.get("/e/test-forum/register?lang=ru").get_data(as_text=True)
    for text in ("Делегат", "Пресса", "Экспонент", "Гость", "Қазақша", 'name="consent"', 'name="nonce"'):
        assert text in page
    assert "Спикер" not in page  # speakers are named by the organisers (docs/SECURITY.md)
    assert 'name="viewport"' in page


def test_a_kazakh_name_registers_and_lands_on_the_private_page(client):
    open_event(capacity=10)
    response = register(client, email="  Asel@Example.KZ ")
    assert response.status_code == 302
    [reg] = registrations()
    assert reg.full_name == "Әсел Нұрланқызы"
    assert reg.email == "asel@example.kz"
    assert reg.status == "confirmed"
    assert reg.consent_at is not None and reg.locale == "kk"
    assert len(reg.token) >= 40
    assert response.headers["Location"].endswith(f"/e/test-forum/r/{reg.token}?new=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Әсел Нұрланқызы" in page and "confirmed" in page
    # The confirmation e-mail is queued, in Kazakh, with the private link.
    [message] = db.session.scalars(db.select(OutgoingMessage)).all()
    assert message.kind == "confirmed" and message.to == "asel@example.kz" and message.status == "queued"
    assert f"/e/test-forum/r/{reg.token}" in message.body_text
    assert "Құрметті Әсел Нұрланқызы" in message.body_text


def test_bad_input_gives_field_errors_and_stores_nothing(client):
    open_event()
    cases = [
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"consent": None}, "Registration needs your consent."),
        ({"full_name": "Ә" * 10_000}, "Field cannot be longer than 200 characters."),
        ({"full_name": ""}, "This field is required."),
        ({"phone": "call me maybe"}, "Enter a phone number"),
        ({"category": "999999"}, "Not a valid choice"),
        ({"locale": "de"}, "Not a valid choice"),
    ]
    for change, error in cases:
        data = registration_data(client)
        data.update(change)
        data = {k: v for k, v in data.items() if v is not None}
        response = client.post("/e/test-forum/register", data=data)
        assert response.status_code == 400, change
        assert error in response.get_data(as_text=True), change
    assert registrations() == []
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) == 0


def test_a_refused_submit_without_items_shows_the_items_again(client):
    """A submit that chose no items is checked without loading them; the page shown again after
    an error still offers them."""
    event = open_event()
    item = make_item(event, "Круглый стол «Жасампаз»", kind="round_table", takes_signups=True, capacity=10)
    data = registration_data(client)
    data["email"] = "not-an-email"
    page = client.post("/e/test-forum/register", data=data).get_data(as_text=True)
    assert "Invalid email address." in page
    assert "Круглый стол «Жасампаз»" in page and f'value="{item.id}"' in page and "10 of 10 places free" in page
    register(client)
    page = register(client, name="Екінші").get_data(as_text=True)  # the same e-mail: refused with 409
    assert "already registered" in page and "Круглый стол «Жасампаз»" in page and "10 of 10 places free" in page
    assert [r.full_name for r in registrations()] == ["Әсел Нұрланқызы"]


def test_wtforms_own_messages_follow_the_visitors_language_request_after_request(client):
    """The WTForms catalogues are kept per language for the life of the process, not per request:
    each request still gets its own language."""
    open_event()
    expected = {"ru": "Неверный адрес электронной почты.", "kk": "Жарамсыз эл. пошта адресі.", "en": "Invalid email address."}
    for lang in ("ru", "kk", "en", "ru"):
        data = registration_data(client)
        data["email"] = "not-an-email"
        response = client.post(f"/e/test-forum/register?lang={lang}", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert expected[lang] in page, lang
        assert all(other not in page for code, other in expected.items() if code != lang), lang


def test_html_in_every_field_is_shown_as_text(client, admin_client):
    open_event()
    evil = '<script>alert("x")</script><b>'
    response = register(
        client, name=evil + "Name", email="x@example.kz", phone=None,
        organisation_name=evil, position=evil, city=evil,
    )
    assert response.status_code == 302
    private = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in private and "&lt;script&gt;" in private
    listing = admin_client.get("/manage/e/test-forum/registrations").get_data(as_text=True)
    assert "<script>alert" not in listing and "&lt;script&gt;alert" in listing
    reg = registrations()[0]
    detail = admin_client.get(f"/manage/e/test-forum/registrations/{reg.id}").get_data(as_text=True)
    assert "<script>alert" not in detail


def test_duplicate_email_is_refused_with_an_offer_to_resend_the_link(client):
    open_event()
    register(client, email="asel@example.kz")
    token = registrations()[0].token
    response = register(client, name="Someone else", email="ASEL@example.kz")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "already registered" in page and "Send me the link again" in page
    assert token not in page  # the private link is never shown to whoever types the address
    assert len(registrations()) == 1
    # Resending e-mails the link to the stored address.
    fields = form_fields(client)
    response = client.post(
        "/e/test-forum/register/resend", data={"csrf_token": fields["csrf_token"], "email": "asel@example.kz"}
    )
    assert response.status_code == 302
    assert token not in client.get(response.headers["Location"]).get_data(as_text=True)
    link = db.session.scalar(db.select(OutgoingMessage).filter_by(kind="link"))
    assert link.to == "asel@example.kz" and token in link.body_text
    # An unknown address gets the same answer and no e-mail.
    client.post("/e/test-forum/register/resend", data={"csrf_token": fields["csrf_token"], "email": "nobody@example.kz"})
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id)).filter_by(kind="link")) == 1


def test_submitting_the_same_form_twice_creates_one_registration(client):
    open_event(capacity=5)
    data = registration_data(client)
    first = client.post("/e/test-forum/register", data=data)
    second = client.post("/e/test-forum/register", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations()) == 1
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) == 1


def test_registration_opens_and_closes_at_the_organisers_times(client):
    event = open_event()
    settings = services.settings_for(event)
    settings.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    page = client.get("/e/test-forum/register").get_data(as_text=True)
    assert "not open yet" in page
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "full_name": "X", "email": "x@example.kz", "consent": "y", "locale": "en"}
    assert client.post("/e/test-forum/register", data=data).status_code == 409
    settings.opens_at = utcnow() - timedelta(days=2)
    settings.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "Registration is closed." in client.get("/e/test-forum/register").get_data(as_text=True)
    assert client.post("/e/test-forum/register", data=data).status_code == 409
    assert registrations() == []


def test_a_form_opened_before_closing_cannot_register_after(client):
    event = open_event()
    data = registration_data(client)
    settings = services.settings_for(event)
    settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.post("/e/test-forum/register", data=data).status_code == 409
    assert registrations() == []


def test_an_unpublished_event_has_no_registration(client):
    open_event(status="draft")
    assert client.get("/e/test-forum/register").status_code == 404


def test_full_event_puts_people_on_the_waiting_list_in_order_and_says_so(client):
    open_event(capacity=1)
    register(client, "Первый", "one@example.kz")
    response = register(client, "Второй", "two@example.kz", locale="ru")
    register(client, "Үшінші", "three@example.kz")
    one, two, three = registrations()
    assert [one.status, two.status, three.status] == ["confirmed", "waiting", "waiting"]
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "You are number 1 on the waiting list" in page
    message = db.session.scalar(db.select(OutgoingMessage).filter_by(registration_id=two.id))
    assert message.kind == "waiting" and "в листе ожидания" in message.subject


def test_cancelling_promotes_the_first_waiting_person_and_queues_their_email(client):
    open_event(capacity=1)
    first = register(client, "Первый", "one@example.kz").headers["Location"].split("?")[0]
    register(client, "Второй", "two@example.kz", locale="ru")
    register(client, "Үшінші", "three@example.kz")
    token = form_fields(client, first)["csrf_token"]
    assert client.post(first + "/cancel", data={"csrf_token": token}).status_code == 302
    one, two, three = registrations()
    assert [one.status, two.status, three.status] == ["cancelled", "confirmed", "waiting"]
    promoted = db.session.scalar(db.select(OutgoingMessage).filter_by(registration_id=two.id, kind="promoted"))
    assert promoted is not None and "подтверждена" in promoted.body_text and two.token in promoted.body_text
    assert db.session.scalar(db.select(OutgoingMessage).filter_by(registration_id=one.id, kind="cancelled"))
    # Cancelling twice is refused politely, not a second promotion.
    client.post(first + "/cancel", data={"csrf_token": token})
    assert registrations()[2].status == "waiting"


def test_a_cancel_without_csrf_token_changes_nothing(client):
    open_event()
    location = register(client).headers["Location"].split("?")[0]
    assert client.post(location + "/cancel").status_code == 400
    assert registrations()[0].status == "confirmed"


def test_the_private_link_edits_details_and_items(client):
    event = open_event()
    item = make_item(event, "Круглый стол", kind="round_table", takes_signups=True, capacity=1)
    location = register(client, email="a@example.kz").headers["Location"].split("?")[0]
    page = client.get(location).get_data(as_text=True)
    assert "Круглый стол" in page
    html = client.get(location).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    category = re.search(r'<option[^>]*value="(\d+)"', html).group(1)
    response = client.post(location, data={
        "csrf_token": token, "full_name": "Әсел Нұрланқызы-Смағұлова", "category": category, "locale": "ru",
        "items": str(item.id), "city": "Астана",
    })
    assert response.status_code == 302
    [reg] = registrations()
    assert reg.full_name == "Әсел Нұрланқызы-Смағұлова" and reg.city == "Астана" and reg.locale == "ru"
    assert [(s.item_id, s.status) for s in reg.signups] == [(item.id, "confirmed")]
    # A wrong token is a 404, not someone else's registration.
    assert client.get("/e/test-forum/r/not-the-token").status_code == 404


def test_after_closing_the_private_link_shows_the_ticket_and_cancels_but_refuses_changes(client):
    event = open_event(capacity=10)
    item = make_item(event, "Круглый стол", kind="round_table", takes_signups=True, capacity=5)
    location = register(client, items=str(item.id)).headers["Location"].split("?")[0]
    edit = {**form_fields(client, location), "full_name": "Басқа адам", "locale": "ru", "items": ""}
    settings = services.settings_for(event)
    settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    page = client.get(location).get_data(as_text=True)
    assert "Әсел Нұрланқызы" in page and "Download your ticket (PDF)" in page
    assert "the organisers have closed the lists" in page
    assert 'name="full_name"' not in page and "Cancel my registration" in page
    # An edit sent anyway (a page opened before closing) changes nothing and says why.
    response = client.post(location, data=edit)
    assert response.status_code == 409
    assert "can no longer be changed" in response.get_data(as_text=True)
    [reg] = registrations()
    assert reg.full_name == "Әсел Нұрланқызы" and reg.locale == "kk"
    assert [(s.item_id, s.status) for s in reg.signups] == [(item.id, "confirmed")]
    with pytest.raises(services.RegistrationClosed):
        services.update_details(reg, services.Applicant(full_name="Басқа", email="", consent=True))
    db.session.rollback()
    # In the participant's language too.
    assert "организаторы закрыли списки" in client.get(location + "?lang=ru").get_data(as_text=True)
    assert "тізімдерді жапты" in client.get(location + "?lang=kk").get_data(as_text=True)
    # The ticket still downloads, and cancelling still works.
    ticket = client.get(location + "/ticket.pdf")
    assert ticket.status_code == 200 and ticket.mimetype == "application/pdf"
    assert client.post(location + "/cancel", data={"csrf_token": edit["csrf_token"]}).status_code == 302
    assert registrations()[0].status == "cancelled"


def test_before_registration_reopens_changes_wait_too(client):
    event = open_event()
    location = register(client).headers["Location"].split("?")[0]
    settings = services.settings_for(event)
    settings.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    page = client.get(location).get_data(as_text=True)
    assert "Registration is not open at the moment" in page and 'name="full_name"' not in page
    token = csrf_token(client, "/login")
    response = client.post(location, data={"csrf_token": token, "full_name": "Басқа адам", "locale": "ru"})
    assert response.status_code == 409 and registrations()[0].full_name == "Әсел Нұрланқызы"


def test_item_capacity_waiting_list_and_promotion_when_a_place_frees(client):
    event = open_event()
    show = make_item(event, "Показ коллекций", kind="collection_show", takes_signups=True, capacity=1)
    closed = make_item(event, "Не для записи", start="12:00", end="13:00")
    first = register(client, "Первый", "one@example.kz", items=str(show.id)).headers["Location"].split("?")[0]
    # An item that takes no sign-ups is not a valid choice (a tampered form).
    assert register(client, "Второй", "two@example.kz", items=[str(show.id), str(closed.id)]).status_code == 400
    register(client, "Второй", "two@example.kz", items=[str(show.id)])
    signups = db.session.scalars(db.select(ItemSignup).order_by(ItemSignup.id)).all()
    assert [(s.item_id, s.status) for s in signups] == [(show.id, "confirmed"), (show.id, "waiting")]
    token = form_fields(client, first)["csrf_token"]
    client.post(first + "/cancel", data={"csrf_token": token})
    db.session.expire_all()
    statuses = [s.status for s in db.session.scalars(db.select(ItemSignup).order_by(ItemSignup.id))]
    assert statuses == ["cancelled", "confirmed"]
    assert db.session.scalar(db.select(OutgoingMessage).filter_by(kind="item_promoted"))


def test_extra_questions_required_and_optional(client, admin_client):
    event = open_event()
    text_q = Question(event_id=event.id, kind="text", label={"en": "Dietary needs"}, required=False, position=1)
    single = Question(
        event_id=event.id, kind="single_choice", label={"en": "How did you hear?"}, required=True, position=2,
        choices=[{"en": "Press"}, {"en": "Friends"}],
    )
    multi = Question(
        event_id=event.id, kind="multiple_choice", label={"en": "Interests"}, position=3,
        choices=[{"en": "Textiles"}, {"en": "Leather"}, {"en": "=cmd|' /C calc'!A0"}],
    )
    box = Question(event_id=event.id, kind="checkbox", label={"en": "Needs a visa letter"}, position=4)
    db.session.add_all([text_q, single, multi, box])
    db.session.commit()
    response = register(client)
    assert response.status_code == 400 and "Choose one." in response.get_data(as_text=True)
    response = register(client, **{f"q_{single.id}": "7"})
    assert response.status_code == 400
    response = register(client, **{
        f"q_{text_q.id}": "Halal", f"q_{single.id}": "1", f"q_{multi.id}": ["0", "2"], f"q_{box.id}": "y",
    })
    assert response.status_code == 302
    [reg] = registrations()
    assert reg.answers == {str(text_q.id): "Halal", str(single.id): 1, str(multi.id): [0, 2], str(box.id): True}
    detail = admin_client.get(f"/manage/e/test-forum/registrations/{reg.id}").get_data(as_text=True)
    assert "Friends" in detail and "Textiles; =cmd" in detail.replace("&#39;", "'")
