"""The participant's journeys in a real browser, on a phone (390×844) and a laptop (1366×768),
with scripts on and off: registering on a full event, the private page with the event's facts and
My programme, cancelling and registering again, own certificates, and verifying a certificate."""

from __future__ import annotations

from datetime import date

import pytest

from forumapp.extensions import db
from forumapp.registration import services
from forumapp.registration.models import Registration
from forumapp.timeutil import utcnow
from tests.conftest import make_item
from tests.registration.checkin_factories import make_registration
from tests.registration.helpers import open_event

SCREENS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


@pytest.fixture(
    params=[(screen, js) for screen in SCREENS for js in (True, False)],
    ids=lambda p: f"{p[0]}-{'js' if p[1] else 'nojs'}",
)
def visitor(browser, request):
    screen, js = request.param
    context = browser.new_context(
        viewport=SCREENS[screen], locale="en-GB", java_script_enabled=js, is_mobile=screen == "phone"
    )
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: r.status >= 500 and problems.append(f"{r.status}: {r.url}"))
    page.on("dialog", lambda dialog: dialog.accept())  # "Cancel your registration?" (with scripts)
    page.problems, page.js = problems, js
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _full_event():
    event = open_event(capacity=1, venue={"en": "Palace of the Republic"}, city={"en": "Almaty"})
    item = make_item(event, "Round table", start="14:00", end="15:30", takes_signups=True, capacity=30)
    make_registration(event, "Бірінші", email="first@example.kz")  # takes the only place
    return event, item


def test_registering_on_a_full_event_then_the_private_page(live_server, visitor):
    event, item = _full_event()
    visitor.goto(f"{live_server}/e/{event.slug}/register?lang=en")
    # Said before the form is filled in, and the required fields are marked from the start.
    assert "The event is full" in visitor.locator(".notice-full").inner_text()
    assert "People on the waiting list now: 0" in visitor.locator(".notice-full").inner_text()
    assert visitor.locator("label[for=full_name] .required").count() == 1
    assert visitor.locator("label[for=email] .required").count() == 1
    assert visitor.locator("label[for=phone] .required").count() == 0
    assert fits_the_screen(visitor)

    visitor.fill("#full_name", "Әсел Нұрланқызы")
    visitor.fill("#email", "asel@example.kz")
    visitor.locator(f"input[name=items][value='{item.id}']").check()
    visitor.locator("input[name=consent]").check()
    visitor.get_by_role("button", name="Register").click()
    visitor.wait_for_load_state()

    assert "/r/" in visitor.url
    body = visitor.locator("main").inner_text()
    assert "Waiting list" in body or "waiting list" in body
    facts = visitor.locator(".event-facts").inner_text()
    assert "9 June 2036 – 10 June 2036" in facts and "Palace of the Republic, Almaty" in facts
    map_link = visitor.get_by_role("link", name="Show on the map (OpenStreetMap)")
    assert map_link.get_attribute("href").startswith("https://www.openstreetmap.org/search?query=Palace")
    assert "Round table" in visitor.locator(".my-programme").inner_text()
    calendar = visitor.get_by_role("link", name="Add to my calendar (ICS)").get_attribute("href")
    ics = visitor.request.get(live_server + calendar)
    assert ics.ok and b"BEGIN:VCALENDAR" in ics.body() and b"Round table" in ics.body()
    assert fits_the_screen(visitor)
    assert visitor.problems == []


def test_cancelling_then_registering_again_from_the_private_page(live_server, visitor):
    event, _item = _full_event()
    waiting = make_registration(
        event, "Екінші", email="second@example.kz", status="waiting", waiting_since=utcnow()
    )
    asel = make_registration(event, "Әсел Нұрланқызы", email="asel@example.kz")  # confirmed by hand
    visitor.goto(f"{live_server}/e/{event.slug}/r/{asel.token}?lang=en")
    visitor.get_by_role("button", name="Cancel my registration").click()
    visitor.wait_for_load_state()
    assert "Your registration is cancelled." in visitor.locator("main").inner_text()
    assert fits_the_screen(visitor)

    visitor.get_by_role("button", name="Register again").click()
    visitor.wait_for_load_state()
    assert "You are registered again" in visitor.locator("main").inner_text()
    db.session.expire_all()
    again = db.session.get(Registration, asel.id)
    # The event is full: back at the end of the waiting list, never ahead of who was waiting.
    assert (
        again.status == "waiting"
        and again.waiting_since > db.session.get(Registration, waiting.id).waiting_since
    )
    assert "number 2 on the waiting list" in visitor.locator("main").inner_text()
    assert visitor.problems == []


def test_own_certificate_and_its_verification_page(live_server, visitor):
    from forumapp.awards import services as awards
    from forumapp.awards.models import Certificate

    event = open_event(starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10))
    came = make_registration(event, "Әсел Нұрланқызы", checked_in_at=utcnow())
    [certificate] = awards.issue(event, "participation")
    visitor.goto(f"{live_server}/e/{event.slug}/r/{came.token}?lang=en")
    link = visitor.get_by_role("link", name=f"Download certificate {certificate.number} (PDF)")
    pdf = visitor.request.get(live_server + link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    visitor.goto(f"{live_server}/verify/{certificate.code}?lang=en")
    valid_colour = visitor.locator(".verify-status").evaluate("e => getComputedStyle(e).backgroundColor")
    assert "Valid" in visitor.locator(".verify-status").inner_text()
    assert "Әсел Нұрланқызы" in visitor.locator("dl.verify").inner_text()
    assert fits_the_screen(visitor)

    replacement = awards.reissue(db.session.get(Certificate, certificate.id))
    visitor.goto(f"{live_server}/verify/{certificate.code}?lang=en")
    status = visitor.locator(".verify-status")
    assert "Revoked" in status.inner_text() and "It was revoked on" in status.inner_text()
    revoked_colour = status.evaluate("e => getComputedStyle(e).backgroundColor")
    assert revoked_colour != valid_colour, "valid and revoked must look different, not only by a glyph"
    visitor.get_by_role("link", name=replacement.number, exact=True).click()
    visitor.wait_for_load_state()
    assert "Valid" in visitor.locator(".verify-status").inner_text()
    assert fits_the_screen(visitor)
    assert visitor.problems == []


def test_a_past_event_is_closed_to_new_people(live_server, visitor):
    event = open_event(starts_on=date(2016, 6, 9), ends_on=date(2016, 6, 10))
    assert not services.settings_for(event).is_open()
    visitor.goto(f"{live_server}/e/{event.slug}/register?lang=en")
    assert "Registration is closed." in visitor.locator("main").inner_text()
    assert visitor.locator("#full_name").count() == 0


def test_registering_again_on_the_public_form_with_the_same_email(live_server, visitor):
    event = open_event(capacity=5)
    asel = make_registration(event, "Әсел", email="asel@example.kz", status="cancelled")
    old_token = asel.token
    visitor.goto(f"{live_server}/e/{event.slug}/register?lang=en")
    visitor.fill("#full_name", "Әсел Нұрланқызы")
    visitor.fill("#email", "asel@example.kz")
    visitor.locator("input[name=consent]").check()
    visitor.get_by_role("button", name="Register").click()
    visitor.wait_for_load_state()
    assert "already registered" not in visitor.locator("main").inner_text()
    assert "/r/" in visitor.url and old_token not in visitor.url  # a new private link
    db.session.expire_all()
    again = db.session.get(Registration, asel.id)
    assert again.status == "confirmed" and again.full_name == "Әсел Нұрланқызы"
    assert fits_the_screen(visitor)
    assert visitor.problems == []
