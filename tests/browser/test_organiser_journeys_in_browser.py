"""An organiser's journeys in Chromium at phone and desktop sizes: the schedule editor (drag and
drop, and the edit form where there is no dragging), creating an item from an empty slot,
publishing with warnings, deleting with consequences named."""

from __future__ import annotations

from datetime import time

import pytest

from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ProgrammeItem
from tests.conftest import make_event, make_item, make_user

SIZES = {
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(params=sorted(SIZES))
def page(request, browser):
    context = browser.new_context(locale="en-GB", **SIZES[request.param])
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


@pytest.fixture
def forum():
    event = make_event(status="draft")
    big = Hall(event=event, name={"en": "Main hall"}, capacity=100)
    small = Hall(event=event, name={"en": "Small hall"}, capacity=20, position=1)
    db.session.add_all([big, small])
    db.session.commit()
    talk = make_item(event, "Talk", start="16:00", end="17:00", hall_id=big.id, status="draft")
    session = make_item(event, "Session", start="10:00", end="11:00", hall_id=small.id, status="draft")
    make_user(admin=True)
    return {"event": event, "big": big, "small": small, "talk": talk, "session": session}


def sign_in(page, live_server):
    page.goto(f"{live_server}/login?lang=en")
    page.fill("input[name=email]", "organiser@example.kz")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form button[type=submit] >> nth=-1")


def reread(item):
    db.session.expire_all()
    return db.session.get(ProgrammeItem, item.id)


def test_moving_an_item_in_the_schedule(live_server, page, forum):
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/")
    talk, small = forum["talk"], forum["small"]
    if page.size == "desktop":
        card = page.locator(f".item-card[data-item-id='{talk.id}']")
        # Dropped on the session's slot of the small hall: the same hour, a double booking.
        slot = page.locator(f"table.schedule-grid[data-day='2016-06-09'] td[data-hall-id='{small.id}'][data-start='10:00']")
        # Both in view first (a drag cannot scroll the page), then drag by the card's lower edge.
        slot.evaluate("element => element.scrollIntoView({block: 'start'})")
        source, target = card.bounding_box(), slot.bounding_box()
        assert source["y"] + source["height"] < 900, "the grid is too tall to drag within one screen"
        with page.expect_navigation():
            page.mouse.move(source["x"] + 20, source["y"] + source["height"] - 4)
            page.mouse.down()
            page.mouse.move(target["x"] + 20, target["y"] + 10, steps=8)
            page.mouse.up()
    else:
        # No dragging on a phone: the item's form moves it (the keyboard path too).
        page.click(f".item-card[data-item-id='{talk.id}'] a")
        page.select_option("select[name=hall_id]", str(small.id))
        page.fill("input[name=start]", "10:00")
        page.fill("input[name=end]", "11:00")
        page.click("form button[type=submit] >> text=Save")
        page.goto(f"{live_server}/manage/e/test-forum/")
    moved = reread(talk)
    assert moved.hall_id == small.id and moved.local_start.time() == time(10, 0) and moved.local_end.time() == time(11, 0)
    # The warnings follow the schedule: the small hall is now booked twice, side by side.
    assert page.locator('.warnings [data-kind="hall_double_booked"]').count() == 1
    assert page.locator("td.slot-item.overlap").count() == 2


def test_creating_an_item_from_an_empty_slot(live_server, page, forum):
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/")
    page.locator(f"table.schedule-grid[data-day='2016-06-10'] td[data-hall-id='{forum['big'].id}'][data-start='12:00'] a").click()
    assert page.input_value("input[name=start]") == "12:00" and page.input_value("input[name=end]") == "13:00"
    page.fill("input[name='title-en']", "Lunch talk")
    page.click("form button[type=submit] >> text=Save")
    item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title["en"].as_string() == "Lunch talk"))
    assert item.hall_id == forum["big"].id and item.local_start.strftime("%Y-%m-%d %H:%M") == "2016-06-10 12:00"


def test_publishing_with_warnings_asks_first(live_server, page, forum):
    make_item(forum["event"], "Clash", start="16:30", end="17:30", hall_id=forum["big"].id, status="draft")
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/")
    page.click("button:has-text('Publish the event')")
    assert page.locator("h1").inner_text() == "Publish with warnings?"
    assert page.locator('li[data-kind="hall_double_booked"]').count() == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(Event.status)) == "draft"
    page.click("button:has-text('Publish the event anyway')")
    db.session.expire_all()
    assert db.session.scalar(db.select(Event.status)) == "published"


def test_deleting_an_item_names_what_goes_with_it(live_server, page, forum):
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/items/{forum['talk'].id}")
    danger = page.locator("a.button.danger")
    assert danger.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(164, 22, 26)"
    danger.click()
    assert "Nothing else is deleted with it." in page.content()
    talk_id = forum["talk"].id
    page.click("button.danger")
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, talk_id) is None
    assert "Deleted: Talk." in page.content()


def test_the_menu_does_not_fill_a_phones_first_screen(live_server, page, forum):
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/halls")
    nav = page.locator("nav.event-nav")
    height = nav.bounding_box()["height"]
    visible = [link.inner_text() for link in nav.locator("a").all() if link.is_visible()]
    if page.size == "phone":
        # The menu leaves two thirds of the first screen to the page (seven programme pages
        # since schedule versions joined the group).
        assert height < 740 / 3, height
        # The current group's pages, and the other groups by name.
        assert {"Schedule", "Halls", "Participants", "Awards", "Settings"} <= set(visible)
        assert "Registrations" not in visible
    else:
        assert {"Schedule", "Halls", "Registrations", "Awards", "Event settings", "Team"} <= set(visible)
    assert nav.locator("a[aria-current=page]").inner_text() == "Halls"


def test_people_are_found_as_you_type_and_created_from_the_item(live_server, page, forum):
    from forumapp.directory.models import Person

    db.session.add_all([Person(name={"en": "Gulmira Uakhitova"}), Person(name={"en": "Daulet Bakbergen"})])
    db.session.commit()
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/e/test-forum/items/{forum['talk'].id}")
    page.fill("#person-q", "daul")
    select = page.locator("select[name='person-person_id']")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "Daulet Bakbergen"
    assert select.evaluate("s => Array.from(s.options).filter(o => !o.hidden).length") == 1
    page.click("button:has-text('Add') >> nth=0")
    assert "Daulet Bakbergen" in page.locator("table.responsive").inner_text()
    page.fill("input[name='new-name']", "Aigerim Seitkali")
    page.fill("input[name='new-organisation']", "Kazlegprom")
    page.click("button:has-text('Add to the directory and here')")
    assert "Aigerim Seitkali" in page.locator("table.responsive").inner_text()


def test_creating_an_event_with_its_halls_and_a_suggested_web_address(live_server, page):
    make_user(admin=True)
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/events/new")
    assert page.locator("label[for=slug]").inner_text() == "Web address"
    assert page.locator("select[name=timezone]").input_value() == "Asia/Almaty"
    page.fill("input[name='title-en']", "Steppe Fashion Week")
    page.fill("input[name=starts_on]", "2016-10-05")
    page.fill("input[name=ends_on]", "2016-10-06")
    page.fill("textarea[name=halls]", "Main hall, 300\nStudio")
    page.click("form button[type=submit] >> text=Save")
    assert page.url.endswith("/manage/e/steppe-fashion-week-2016/")
    assert page.locator("table.schedule-grid thead").first.inner_text().split()[1:] == ["Main", "hall", "Studio"]


def test_deleting_a_hall_names_the_items_it_leaves_without_one(live_server, page, forum):
    sign_in(page, live_server)
    hall_id, talk_id = forum["big"].id, forum["talk"].id
    page.goto(f"{live_server}/manage/e/test-forum/halls")
    page.click(f'a[href$="/halls/{hall_id}"]')  # the hall, from the list
    page.click("a.button.danger")
    assert "1 item in this hall will have no hall." in page.content()
    page.click("button.danger")
    db.session.expire_all()
    assert db.session.get(Hall, hall_id) is None
    assert db.session.get(ProgrammeItem, talk_id).hall_id is None  # the item stays, without a hall


def test_deleting_a_person_from_the_directory_and_an_event_that_must_be_kept(live_server, page, forum):
    from forumapp.directory.models import Person
    from forumapp.programme.models import ItemPerson
    from tests.registration.checkin_factories import make_registration

    speaker = Person(name={"en": "Gulmira Uakhitova"})
    db.session.add(speaker)
    db.session.flush()
    db.session.add(ItemPerson(item_id=forum["talk"].id, person_id=speaker.id, role="speaker"))
    db.session.commit()
    speaker_id = speaker.id
    sign_in(page, live_server)
    page.goto(f"{live_server}/manage/people/{speaker_id}?event=test-forum")
    page.click("a.button.danger")
    assert "They lose their part in 1 programme item." in page.content()  # what goes is named
    page.click("button.danger")
    db.session.expire_all()
    assert db.session.get(Person, speaker_id) is None

    make_registration(forum["event"], "Әсел Нұрланқызы", email="asel@example.kz")
    page.goto(f"{live_server}/manage/e/test-forum/edit")
    page.click("a.button.danger")
    assert "Archive the event instead" in page.content()
    assert page.locator("button.danger").count() == 0  # refused: nothing to confirm
    db.session.expire_all()
    assert db.session.scalar(db.select(Event).filter_by(slug="test-forum")) is not None
