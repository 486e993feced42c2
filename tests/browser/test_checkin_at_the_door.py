"""The door on a phone and on a laptop: large fields and buttons, search results that stay after a
check-in, cancelled people without a button, Undo that asks, and scans kept through a network
loss and sent when it returns."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forumapp.extensions import db
from forumapp.registration.models import Registration
from forumapp.registration.tickets import ticket_code
from tests.browser.test_checkin_in_browser import sign_in
from tests.conftest import make_event, make_user
from tests.registration.checkin_factories import make_registration

SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=sorted(SIZES))
def door(request, browser):
    context = browser.new_context(viewport=SIZES[request.param], locale="en-GB",
                                  is_mobile=request.param == "phone", has_touch=request.param == "phone")
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def _checked_in(registration_id: int):
    db.session.expire_all()
    return db.session.get(Registration, registration_id).checked_in_at


def test_search_results_stay_and_cancelled_people_have_no_button(live_server, door):
    make_user(admin=True)
    event = make_event()
    asel = make_registration(event, "Әсел Нұрланқызы", email="asel@example.kz")
    gone = make_registration(event, "Әсел Бекова", status="cancelled", email="bekova@example.kz")
    sign_in(door, live_server)
    door.goto(f"{live_server}/manage/e/{event.slug}/checkin")

    # Fields large enough that iOS does not zoom in, buttons large enough for a thumb.
    for selector in ("#scan-code", "#search-q"):
        size = door.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16, selector
        assert door.locator(selector).bounding_box()["height"] >= 44
    door.fill("#search-q", "Әсел")
    door.locator(".checkin-search button").click()
    rows = door.locator(".checkin-found tbody tr")
    expect(rows).to_have_count(2)
    cancelled = rows.filter(has_text="Әсел Бекова")
    expect(cancelled).to_contain_text("Cancelled: do not admit")
    expect(cancelled.locator("button")).to_have_count(0)
    button = rows.filter(has_text="Әсел Нұрланқызы").locator("button")
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(door.locator("#checkin-message")).to_have_text("Checked in")
    expect(rows).to_have_count(2)  # the results are still there
    expect(rows.filter(has_text="Әсел Нұрланқызы")).to_contain_text("✓")
    assert _checked_in(asel.id) is not None and _checked_in(gone.id) is None
    if door.size == "phone":  # each cell names its column where the header row is hidden
        label = door.eval_on_selector(".checkin-found tbody tr td:nth-child(3)",
                                      "e => getComputedStyle(e, '::before').content")
        assert "Status" in label

    # Undo asks first; refusing keeps the check-in.
    door.reload()
    undo = door.locator(".checkin-found form[data-confirm] button")
    door.once("dialog", lambda dialog: dialog.dismiss())
    undo.click()
    door.wait_for_timeout(300)
    assert _checked_in(asel.id) is not None
    door.once("dialog", lambda dialog: dialog.accept())
    undo.click()
    door.wait_for_load_state()
    expect(door.locator(".checkin-found")).to_be_visible()
    assert _checked_in(asel.id) is None


def test_scans_made_offline_are_kept_and_sent_when_the_connection_returns(live_server, door):
    make_user(admin=True)
    event = make_event()
    first = make_registration(event, "Әсел Нұрланқызы", email="a@example.kz")
    second = make_registration(event, "Ержан Сатыбалдиев", email="e@example.kz")
    refused = make_registration(event, "Болат Ахметов", email="b@example.kz", status="cancelled")
    sign_in(door, live_server)
    door.goto(f"{live_server}/manage/e/{event.slug}/checkin")
    door.context.set_offline(True)
    for registration in (first, second, refused, first):  # the first one scanned twice
        door.locator("#scan-code").fill(ticket_code(registration))
        door.locator("#scan-code").press("Enter")
    banner = door.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("4 scans are kept on this device")
    expect(door.locator("#checkin-message")).to_contain_text("Kept on this device")
    assert door.evaluate("Object.keys(localStorage).length") == 1
    assert _checked_in(first.id) is None and _checked_in(second.id) is None

    door.context.set_offline(False)
    expect(banner).to_contain_text("4 kept scans were sent", timeout=10_000)
    replayed = door.locator("#replayed li")
    expect(replayed).to_have_count(4)
    expect(replayed.nth(2)).to_have_class("refused")
    expect(replayed.nth(3)).to_contain_text("Already checked in")
    expect(door.locator("#count-arrived")).to_have_text("2")
    assert _checked_in(first.id) is not None and _checked_in(second.id) is not None
    assert _checked_in(refused.id) is None
    assert door.evaluate("Object.keys(localStorage).length") == 0
