"""After cancelling: registering again (public form or private link), never jumping the queue, and
e-mails that offer only what the private page offers."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from forumapp.extensions import db
from forumapp.registration import newcomers, services
from forumapp.registration.models import OutgoingMessage
from forumapp.timeutil import utcnow
from tests.conftest import make_item
from tests.registration.helpers import form_fields, open_event, register, registrations

VIEW_CHANGE_CANCEL = "View, change or cancel your registration"


def _csrf(client, location) -> str:
    """The session's CSRF token, from whichever form the private page shows."""
    html = client.get(location).get_data(as_text=True)
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html).group(1)


def _cancel(client, location):
    token = form_fields(client, location)["csrf_token"]
    assert client.post(location + "/cancel", data={"csrf_token": token}).status_code == 302


def _messages(registration_id, kind=None):
    query = db.select(OutgoingMessage).filter_by(registration_id=registration_id).order_by(OutgoingMessage.id)
    if kind:
        query = query.filter_by(kind=kind)
    return list(db.session.scalars(query))


def test_the_same_email_registers_again_after_cancelling_with_a_new_private_link(client):
    open_event(capacity=10)
    first = register(client, "Әсел", "asel@example.kz", locale="en").headers["Location"].split("?")[0]
    _cancel(client, first)
    [cancelled] = registrations()
    old_token = cancelled.token

    item = make_item(
        cancelled.event, "Круглый стол", start="14:00", end="15:30", takes_signups=True, capacity=20
    )
    response = register(client, "Әсел Нұрланқызы", "asel@example.kz", locale="en", items=[str(item.id)])
    assert response.status_code == 302, "a cancelled e-mail is not 'already registered'"
    [again] = registrations()  # the same row: one registration per e-mail
    assert again.status == "confirmed" and again.full_name == "Әсел Нұрланқызы"
    assert again.token != old_token  # whoever typed the e-mail never gets the old link's page
    assert client.get(first).status_code == 404
    assert response.headers["Location"].split("?")[0].endswith(again.token)
    confirmed = _messages(again.id, "confirmed")[-1]
    assert again.token in confirmed.body_text and VIEW_CHANGE_CANCEL in confirmed.body_text
    assert "Круглый стол" in confirmed.body_text  # the items of the new form
    assert [(s.item_id, s.status) for s in again.signups] == [(item.id, "confirmed")]


def test_registering_again_never_jumps_the_waiting_list(client):
    open_event(capacity=1)
    first = register(client, "Бірінші", "one@example.kz").headers["Location"].split("?")[0]
    register(client, "Екінші", "two@example.kz")  # waiting, then promoted when the first cancels
    register(client, "Үшінші", "three@example.kz")  # waiting
    _cancel(client, first)
    one, two, three = registrations()
    assert [one.status, two.status, three.status] == ["cancelled", "confirmed", "waiting"]

    page = client.get(first).get_data(as_text=True)
    assert "Register again" in page or "Қайта тіркелу" in page
    token = _csrf(client, first)
    assert client.post(first + "/again", data={"csrf_token": token}).status_code == 303
    one, two, three = registrations()
    assert one.status == "waiting" and two.status == "confirmed"
    assert one.waiting_since > three.waiting_since  # behind the person who was already waiting
    assert services.waiting_position(one) == 2
    # Twice is refused without a change.
    client.post(first + "/again", data={"csrf_token": token})
    assert registrations()[0].status == "waiting"


def test_register_again_takes_a_free_place_and_is_e_mailed(client):
    open_event(capacity=5)
    first = register(client, "Әсел", "asel@example.kz", locale="en").headers["Location"].split("?")[0]
    _cancel(client, first)
    [reg] = registrations()
    cancelled_mail = _messages(reg.id, "cancelled")[-1]
    # The e-mail about cancelling offers what the page offers: registering again, not changes.
    assert VIEW_CHANGE_CANCEL not in cancelled_mail.body_text
    assert "register again" in cancelled_mail.body_text and reg.token in cancelled_mail.body_text

    token = _csrf(client, first)
    client.post(first + "/again", data={"csrf_token": token})
    [reg] = registrations()
    assert reg.status == "confirmed"
    assert _messages(reg.id)[-1].kind == "confirmed"


def test_without_csrf_nothing_is_registered_again(client):
    open_event()
    first = register(client).headers["Location"].split("?")[0]
    _cancel(client, first)
    assert client.post(first + "/again").status_code == 400
    assert registrations()[0].status == "cancelled"


def test_after_closing_a_cancelled_registration_is_not_offered_again_and_the_mail_says_so(client):
    event = open_event()
    first = register(client, locale="en").headers["Location"].split("?")[0]
    _cancel(client, first)
    token = _csrf(client, first)  # the form of a moment ago
    settings = services.settings_for(event)
    settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(first + "?lang=en").get_data(as_text=True)
    assert "registration for this event is closed" in page and "/again" not in page
    client.post(first + "/again", data={"csrf_token": token})
    assert registrations()[0].status == "cancelled"
    # Asked for the link again, the e-mail does not promise changes or a new registration.
    services.resend_link(event, "asel@example.kz")
    link_mail = _messages(registrations()[0].id, "link")[-1]
    assert VIEW_CHANGE_CANCEL not in link_mail.body_text and "register again" not in link_mail.body_text
    assert "closed" in link_mail.body_text


def test_a_rejected_email_stays_refused(client):
    event = open_event(approval=True)
    register(client)
    services.reject(registrations()[0])
    assert register(client).status_code == 409
    assert registrations()[0].status == "rejected" and event.id


def test_registration_closes_by_default_when_the_event_ends(client):
    # The demo event of 2016 confirmed a new participant in 2026: no more.
    past = open_event(slug="test-forum", starts_on=date(2016, 6, 9), ends_on=date(2016, 6, 10))
    settings = services.settings_for(past)
    assert settings.closes_at is None and not settings.is_open()
    page = client.get("/e/test-forum/register?lang=en").get_data(as_text=True)
    assert "Registration is closed." in page and 'name="full_name"' not in page
    with pytest.raises(services.RegistrationClosed):
        newcomers.register(past, services.Applicant(full_name="Late", email="late@example.kz", consent=True))
    assert registrations() == []
    # The organisers may set it otherwise (here: later than the event).
    settings.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert register(client).status_code == 302


def test_the_default_closing_is_the_end_of_the_last_day_in_the_events_zone():
    event = open_event(starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10), timezone="Asia/Almaty")
    settings = services.settings_for(event)
    end = settings.effective_closes_at  # midnight after 10 June in Almaty, in UTC
    assert event.local(end).date() == date(2036, 6, 11) and event.local(end).hour == 0
    assert settings.is_open(end - timedelta(seconds=1)) and not settings.is_open(end)


def test_a_full_event_says_so_before_the_form_is_filled_in(client):
    open_event(capacity=1)
    page = client.get("/e/test-forum/register?lang=en").get_data(as_text=True)
    assert "1 of 1 places are free." in page and "The event is full" not in page
    register(client, "Бірінші", "one@example.kz")
    register(client, "Екінші", "two@example.kz")
    register(client, "Үшінші", "three@example.kz")
    page = client.get("/e/test-forum/register?lang=en").get_data(as_text=True)
    assert (
        "The event is full: if you register, you will join the waiting list. People on the waiting list now: 2."
        in page
    )


def test_required_fields_are_marked_before_any_submit(client):
    open_event()
    page = client.get("/e/test-forum/register?lang=en").get_data(as_text=True)
    for label in ("Full name", "E-mail"):
        assert f'{label} <span class="required" aria-hidden="true">*</span></label>' in page, label
    assert 'Phone <span class="required"' not in page  # optional fields are not marked
    assert "Required fields are marked with an asterisk." in page


def test_the_private_page_and_email_give_date_venue_map_items_and_a_calendar(client):
    event = open_event(capacity=10)
    item = make_item(event, "Круглый стол", start="14:00", end="15:30", takes_signups=True, capacity=20)
    location = register(client, locale="en", items=[str(item.id)]).headers["Location"].split("?")[0]
    [reg] = registrations()
    page = client.get(location + "?lang=en").get_data(as_text=True)
    assert "9 June 2036 – 10 June 2036" in page
    assert "Palace of the Republic, Almaty" in page
    assert 'href="https://www.openstreetmap.org/search?query=Palace+of+the+Republic%2C+Almaty"' in page
    assert "My programme" in page and "Круглый стол" in page
    assert f"/e/test-forum/r/{reg.token}/calendar.ics" in page

    [mail] = _messages(reg.id, "confirmed")
    for text in (
        "9 June 2036",
        "Palace of the Republic, Almaty",
        "https://www.openstreetmap.org/search?query=",
        "Круглый стол",
        f"/e/test-forum/r/{reg.token}/calendar.ics",
    ):
        assert text in mail.body_text, text

    response = client.get(f"/e/test-forum/r/{reg.token}/calendar.ics?lang=en")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    from icalendar import Calendar

    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Light Industry Forum", "Круглый стол"]
    assert events[0]["dtstart"].dt == date(2036, 6, 9) and events[0]["dtend"].dt == date(2036, 6, 11)
    assert str(events[1]["location"]).endswith("Palace of the Republic, Almaty")
    assert client.get("/e/test-forum/r/" + "x" * 43 + "/calendar.ics").status_code == 404


def test_a_cancelled_registration_has_no_calendar_and_no_event_facts(client):
    open_event()
    location = register(client).headers["Location"].split("?")[0]
    _cancel(client, location)
    assert client.get(location + "/calendar.ics").status_code == 404
    assert "calendar.ics" not in client.get(location).get_data(as_text=True)


def test_closed_but_active_the_email_offers_no_changes(client):
    event = open_event()
    register(client, locale="en")
    settings = services.settings_for(event)
    settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    services.resend_link(event, "asel@example.kz")
    link_mail = _messages(registrations()[0].id, "link")[-1]
    assert VIEW_CHANGE_CANCEL not in link_mail.body_text
    assert "Registration is closed, so your details can no longer be changed" in link_mail.body_text
