"""Drag and drop in a show's running order (the buttons are tested through HTTP)."""

from __future__ import annotations

import pytest

from forumapp.extensions import db
from forumapp.shows.models import ShowSegment
from tests.conftest import make_event, make_item, make_user
from tests.shows.helpers import make_brand, make_collection, make_show


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_dragging_a_segment_reorders_and_recomputes_times(live_server, desktop):
    event = make_event()
    item = make_item(event, "Show", start="10:00", end="11:00", kind="collection_show")
    first = make_collection(event, make_brand("Kazlegprom"), {"en": "Steppe Road"}, looks=10)
    second = make_collection(event, make_brand("ZIBROO"), {"en": "Run Almaty"}, looks=5)
    make_show(item, [(first, None), (second, None)])
    make_user(admin=True)
    page = desktop
    page.goto(f"{live_server}/login?lang=en")
    page.fill("input[name=email]", "organiser@example.kz")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form button[type=submit] >> nth=-1")
    page.goto(f"{live_server}/manage/e/{event.slug}/shows/{item.id}")
    rows = page.locator("tr[data-segment-id]")
    assert rows.nth(0).inner_text().count("Steppe Road") == 1
    with page.expect_navigation():
        rows.nth(1).drag_to(rows.nth(0), target_position={"x": 20, "y": 2})
    rows = page.locator("tr[data-segment-id]")
    assert "Run Almaty" in rows.nth(0).inner_text() and "10:00" in rows.nth(0).inner_text()
    assert "10:03" in rows.nth(1).inner_text()  # 5 looks × 40 s
    db.session.expire_all()
    order = [s.collection_id for s in db.session.scalars(db.select(ShowSegment).order_by(ShowSegment.position))]
    assert order == [second.id, first.id]
