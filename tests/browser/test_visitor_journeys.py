"""A visitor's journeys through an event's pages in Chromium, on a phone (390×844) and a desktop
(1366×768): home → a highlight → its speaker's page; times in the visitor's own zone on request;
every page usable without JavaScript."""

from __future__ import annotations

import pytest

from tests.programme.visitor_world import build_visitor_world

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 768)}


@pytest.fixture(params=list(VIEWPORTS))
def screen(request):
    return request.param


def new_page(browser, screen, **options):
    width, height = VIEWPORTS[screen]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                  is_mobile=screen == "phone", **options)
    return context, context.new_page()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_to_a_highlight_to_its_speaker(live_server, browser, screen):
    world = build_visitor_world()
    context, page = new_page(browser, screen)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto(f"{live_server}/e/visitor-forum/?lang=en")
        assert page.locator("h1").inner_text() == "Light Industry Forum"
        assert page.locator(".event-when").inner_text().startswith("9–10 June 2016")
        assert fits_the_screen(page)
        if screen == "desktop":  # the side column sits beside the main one, using the width
            main, aside = page.locator(".event-main").bounding_box(), page.locator(".event-aside").bounding_box()
            assert aside["x"] >= main["x"] + main["width"] and abs(aside["y"] - main["y"]) < 5
        page.locator(".highlights").get_by_role("link", name="Круглый стол «Экспорт»").click()
        assert page.locator("h1").inner_text() == "Круглый стол «Экспорт»"
        assert page.locator(".places-state").inner_text() == "Free places: 2 of 2"
        assert fits_the_screen(page)
        page.get_by_role("link", name="Gulmira Uakhitova").click()
        assert page.locator("h1").inner_text() == "Gulmira Uakhitova"
        appearances = page.locator(".appearances-list li")
        assert appearances.count() == 3  # speaker, designer of a collection in the show, moderator
        assert "Designer" in appearances.nth(1).inner_text() and "Moderator" in appearances.nth(2).inner_text()
        assert page.locator(".person-portrait").evaluate("img => img.naturalWidth") > 0
        assert fits_the_screen(page)
        appearances.nth(0).get_by_role("link").click()
        assert page.locator("h1").inner_text() == "Пленарное заседание"
        badge = page.locator(".track-badge")
        assert badge.inner_text() == "Exports"
        assert badge.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"  # on yellow
        assert world.plenary.id and not errors
    finally:
        context.close()


def test_times_in_the_visitors_own_zone_on_request(live_server, browser, screen):
    world = build_visitor_world()
    context, page = new_page(browser, screen, timezone_id="Europe/Berlin")
    try:
        url = f"{live_server}/e/visitor-forum/items/{world.plenary.id}?lang=en"
        page.goto(url)
        when = page.locator(".item-when time").first
        assert "10:00" in when.inner_text()
        assert "Almaty time (UTC+06:00)" in page.locator("[data-zone-text]").inner_text()
        page.get_by_role("button", name="Show in my time zone").click()
        # 10:00 in Almaty (UTC+6) is 06:00 in Berlin (summer time).
        assert "06:00" in when.inner_text()
        assert "Europe/Berlin" in page.locator("[data-zone-text]").inner_text()
        page.goto(f"{live_server}/e/visitor-forum/people/{world.speaker.id}?lang=en")
        assert "06:00" in page.locator(".appearances-list time").first.inner_text()  # remembered
        page.get_by_role("button", name="Show in Almaty time (UTC+06:00)").click()
        assert "10:00" in page.locator(".appearances-list time").first.inner_text()
        assert fits_the_screen(page)
    finally:
        context.close()


def test_no_switch_is_offered_to_a_visitor_in_the_events_zone(live_server, browser, screen):
    world = build_visitor_world()
    context, page = new_page(browser, screen, timezone_id="Asia/Almaty")
    try:
        page.goto(f"{live_server}/e/visitor-forum/items/{world.plenary.id}?lang=en")
        assert page.locator(".zone-switch").count() == 0
    finally:
        context.close()


def test_the_pages_work_without_javascript(live_server, browser, screen):
    world = build_visitor_world()
    context, page = new_page(browser, screen, java_script_enabled=False)
    try:
        page.goto(f"{live_server}/e/visitor-forum/?lang=ru")
        assert "время Алматы" in page.locator(".zone-note").first.inner_text()
        assert page.locator(".zone-switch").count() == 0  # nothing that would not work
        page.get_by_role("link", name="Спикеры и гости").first.click()
        page.get_by_role("link", name="Гульмира Уахитова").click()
        assert page.locator("h1").inner_text() == "Гульмира Уахитова"
        assert "10:00" in page.locator(".appearances-list time").first.inner_text()
        page.get_by_role("link", name="Пленарное заседание").click()
        assert "10:00" in page.locator(".item-when").inner_text()
        page.goto(f"{live_server}/e/visitor-forum/items/{world.ceremony_item.id}?lang=ru")
        page.get_by_role("link", name="Итоги награждения").click()
        assert page.url.endswith(f"/e/visitor-forum/awards/{world.ceremony_item.id}")
        assert fits_the_screen(page)
    finally:
        context.close()
