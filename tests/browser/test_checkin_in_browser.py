"""The check-in page in a real browser: a USB scanner types the ticket code and presses Enter."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from forumapp.registration.tickets import qr_data_uri, ticket_code
from tests.conftest import make_event, make_user
from tests.registration.checkin_factories import make_registration


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 800, "height": 900}, locale="en-GB")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    # The browser fetches the icon on its own schedule; the next navigation may abort that fetch.
    page.on("requestfailed", lambda request: not ("favicon" in request.url and "ABORTED" in (request.failure or ""))
            and problems.append(f"failed: {request.url} {request.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.problems = problems
    yield page
    context.close()


def sign_in(page, live_server, email="organiser@example.kz"):
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_a_scanned_code_checks_in_and_the_count_goes_up(live_server, desk):
    make_user(admin=True)
    event = make_event()
    asel = make_registration(event)
    make_registration(event, "Ержан Сатыбалдиев", email="e@example.kz")
    code = ticket_code(asel)

    sign_in(desk, live_server)
    desk.goto(f"{live_server}/manage/e/test-forum/checkin")
    assert desk.evaluate("typeof window.jsQR") == "function"  # the vendored decoder, from our server
    assert desk.locator("#count-arrived").inner_text() == "0"
    assert desk.locator("#count-expected").inner_text() == "2"
    assert desk.locator("#count-missing").inner_text() == "2"

    # A USB scanner types like a keyboard and ends with Enter.
    desk.locator("#scan-code").press_sequentially(code)
    desk.locator("#scan-code").press("Enter")
    expect(desk.locator("#checkin-message")).to_have_text("Checked in")
    assert desk.locator("#checkin-person").inner_text().startswith("Әсел Нұрланқызы")
    assert desk.locator("#count-arrived").inner_text() == "1"
    # "Not yet arrived" goes down as people come (it read as "still waiting" in Kazakh before).
    assert desk.locator("#count-missing").inner_text() == "1"
    assert desk.locator("#scan-code").input_value() == ""  # ready for the next ticket
    assert desk.url.endswith("/manage/e/test-forum/checkin")  # no page reload

    # A mistaken scan: the organiser undoes it, the count goes back, the ticket scans again.
    desk.once("dialog", lambda dialog: dialog.accept())  # Undo asks first
    desk.get_by_role("button", name="Undo check-in").click()
    expect(desk.locator(".flash")).to_have_text("The check-in was undone.")
    assert desk.locator("#count-arrived").inner_text() == "0"
    desk.locator("#scan-code").fill(code)
    desk.locator("#scan-code").press("Enter")
    expect(desk.locator("#checkin-message")).to_have_text("Checked in")
    assert desk.locator("#count-arrived").inner_text() == "1"

    desk.locator("#scan-code").fill(code)
    desk.locator("#scan-code").press("Enter")
    expect(desk.locator("#checkin-message")).to_have_text(re.compile(r"^Already checked in at \d\d:\d\d$"))
    assert "checkin-already_checked_in" in desk.locator("#checkin-result").get_attribute("class")
    assert desk.locator("#undo-form").is_hidden()

    desk.locator("#scan-code").fill(code[:-6] + "AAAAAA")
    desk.locator("#scan-code").press("Enter")
    expect(desk.locator("#checkin-message")).to_have_text("Unknown or forged ticket")
    assert desk.locator("#count-arrived").inner_text() == "1"
    assert desk.problems == []

    # A page left open past its CSRF token's life says so instead of failing silently.
    desk.evaluate("() => { document.getElementById('checkin').dataset.csrf = 'stale'; }")
    desk.locator("#scan-code").fill(code)
    desk.locator("#scan-code").press("Enter")
    expect(desk.locator("#checkin-message")).to_have_text("This page has expired. Reload it and scan again.")


def test_the_vendored_decoder_reads_the_tickets_qr_code(live_server, desk):
    """What the camera path does with a frame: draw it on a canvas and let jsQR read it."""
    make_user(admin=True)
    event = make_event()
    code = ticket_code(make_registration(event))
    png = base64.b64encode(base64.b64decode(qr_data_uri(code).split(",", 1)[1])).decode()
    sign_in(desk, live_server)
    desk.goto(f"{live_server}/manage/e/test-forum/checkin")
    decoded = desk.evaluate(
        """async (png) => {
            const image = new Image();
            image.src = "data:image/png;base64," + png;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height);
            const result = window.jsQR(pixels.data, image.width, image.height);
            return result && result.data;
        }""",
        png,
    )
    assert decoded == code
    assert desk.problems == []


def test_the_check_in_page_fits_a_phone(live_server, phone):
    from forumapp.accounts.models import EventRole
    from forumapp.extensions import db

    event = make_event()
    user = make_user("door@example.kz")
    db.session.add(EventRole(user_id=user.id, event_id=event.id, role="checkin_staff"))
    db.session.commit()
    code = ticket_code(make_registration(event, "Әсел Нұрланқызы Сейітова-Бекмұхамбетова"))
    sign_in(phone, live_server, "door@example.kz")
    phone.goto(f"{live_server}/manage/e/test-forum/checkin?lang=kk")
    phone.locator("#scan-code").fill(code)
    phone.locator("#scan-code").press("Enter")
    expect(phone.locator("#checkin-message")).to_have_text("Келгені белгіленді")
    counts = phone.locator(".checkin-counts").inner_text()
    assert "Келгендер: 1" in counts and "Әлі келмегендер: 0" in counts and "Күтілуде" not in counts
    assert phone.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
    assert phone.locator("#undo-form").count() == 0  # staff cannot undo
