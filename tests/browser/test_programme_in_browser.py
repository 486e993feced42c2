"""The public programme in Chromium, on a 390×844 phone and a 1366×768 desktop: the grid by hall
and the list (the choice remembered without a cookie), day tabs, filters that leave the
programme on the first screen, search without JavaScript, track colours, starred items as a page
and a calendar, and "now" marked with the browser's clock.

Screenshots of the programme (grid and list, phone and desktop, kk/ru/en) are saved by
`test_screenshots_of_the_programme` into tests/artifacts/programme/ (gitignored; another folder
with FORUMAPP_TEST_ARTIFACTS=...), for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.browser.programme_forum import DAY_2, SLUG, build, local_instant
from tests.quality.crawl import AXE_JS, require_tool

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
ARTIFACTS = Path(os.environ.get("FORUMAPP_TEST_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts")
PATH = f"/e/{SLUG}/programme"


@pytest.fixture
def forum(runner):
    return build(runner)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    """(page, viewport name): a fresh browser profile in Russian at the viewport's size."""
    name = request.param
    context = browser.new_context(viewport=VIEWPORTS[name], locale="ru-RU", is_mobile=name == "phone",
                                  has_touch=name == "phone")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, name
    context.close()
    assert not errors, errors  # the script never fails


def test_grid_and_list_toggle_is_remembered_without_a_cookie(live_server, forum, screen):
    page, viewport = screen
    page.goto(f"{live_server}{PATH}")
    assert page.locator(".programme-grid").count() == 0 and page.locator("article.programme-item").count() > 10
    page.get_by_role("link", name="Сетка по залам").click()
    page.wait_for_selector(".programme-grid")
    # A new visit without ?view= opens the grid again; no cookie was needed for it.
    page.goto(f"{live_server}{PATH}")
    page.wait_for_url("**view=grid**")
    assert page.locator(".programme-grid").count() == 3  # one per day
    assert page.context.cookies() == []
    # The grid: halls as columns, an item as tall as it is long, the foyer's exhibition beside
    # the coffee break it overlaps.
    day = page.locator(f"#day-{DAY_2.isoformat()}")
    halls = day.locator(".grid-hall").all_inner_texts()
    assert halls == ["Большой зал", "Конференц-зал", "Подиумный зал", "Фойе"]
    exhibition = page.locator(f"#item-{forum['items']['Exhibition of domestic manufacturers']}").bounding_box()
    coffee = page.locator(f"#item-{forum['items']['Coffee break']}").bounding_box()
    assert coffee["x"] >= exhibition["x"] + exhibition["width"] - 4  # side by side
    assert exhibition["y"] < coffee["y"] < exhibition["y"] + exhibition["height"]  # overlapping in time
    plenary = page.locator(f"#item-{forum['items']['Raw materials and imports: plenary']}").bounding_box()
    panel = page.locator(f"#item-{forum['items']['Cluster initiatives: panel discussion']}").bounding_box()
    assert plenary["height"] > panel["height"]  # 90 minutes against 60
    scroller = day.locator(".grid-scroll")
    widths = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    if viewport == "phone":
        # One hall at a time; a swipe brings the next one, the page itself never scrolls sideways.
        assert widths[0] > 2 * widths[1]
        first_hall = day.locator(".grid-hall").first.bounding_box()
        assert first_hall["x"] + first_hall["width"] <= VIEWPORTS["phone"]["width"]
        scroller.evaluate("el => el.scrollBy({left: el.clientWidth, behavior: 'instant'})")
        page.wait_for_timeout(400)
        second_hall = day.locator(".grid-hall").nth(1).bounding_box()
        assert 0 <= second_hall["x"] < 120
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    else:
        assert widths[0] <= widths[1] + 1  # all four halls fit the desktop
    page.get_by_role("link", name="Список").click()
    page.wait_for_url("**view=list**")
    page.goto(f"{live_server}{PATH}")
    page.wait_for_load_state()
    assert page.locator(".programme-grid").count() == 0


def test_day_tabs_and_filters_leave_the_programme_on_the_first_screen(live_server, forum, screen):
    page, viewport = screen
    page.goto(f"{live_server}{PATH}")
    first_item = page.locator("article.programme-item").first.bounding_box()
    assert first_item["y"] < VIEWPORTS[viewport]["height"] * 0.75  # not pushed below the fold
    tabs = page.get_by_role("navigation", name="Дни").get_by_role("link")
    assert tabs.count() == 4  # all days and three days
    tabs.nth(2).click()
    page.wait_for_url(f"**day={DAY_2.isoformat()}**")
    assert page.locator("section.day").count() == 1
    assert page.locator("section.day h2").inner_text().startswith("суббота")
    page.locator("summary", has_text="Фильтры").click()
    page.get_by_label("Зал").select_option(label="Подиумный зал")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url("**hall=**")
    assert page.locator("#match-count").inner_text() == "Показано: 1 из 21"
    assert page.locator("article.programme-item h3").all_inner_texts() == ["Коллекции молодых дизайнеров"]
    assert "Фильтры (1)" in page.locator("summary").inner_text()
    page.get_by_role("link", name="Показать всё").click()
    assert page.locator("#match-count").inner_text() == "Показано: 7 из 21"  # still the chosen day


def test_search_works_without_javascript_and_ignores_kazakh_letters(live_server, forum, browser):
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, locale="ru-RU", java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server}{PATH}?lang=kk")
        assert page.locator("button.star").count() == 0  # stars need the script; all else works
        assert page.locator(".my-programme").is_hidden()
        # "дөңгелек" typed on a Russian keyboard, in capitals; every word must match.
        page.get_by_role("searchbox").fill("ДОНГЕЛЕК кадрлар")
        page.get_by_role("button", name="Іздеу").click()
        page.wait_for_url("**q=**")
        titles = page.locator("article.programme-item h3").all_inner_texts()
        assert titles == ["Кадрлар даярлау бойынша дөңгелек үстел"], name
        # The view toggle keeps the search (a plain link).
        page.get_by_role("link", name="Залдар бойынша кесте").click()
        assert page.locator(".programme-grid article h3").all_inner_texts() == titles
        context.close()


def test_track_colours_show_in_list_and_grid(live_server, forum, screen):
    page, _ = screen
    plenary = forum["items"]["Raw materials and imports: plenary"]
    show = forum["items"]["Young designers' collections"]
    for view in ("list", "grid"):
        page.goto(f"{live_server}{PATH}?view={view}")
        stripe = page.locator(f"#item-{plenary}").evaluate("el => getComputedStyle(el).borderLeftColor")
        assert stripe == "rgb(138, 59, 18)", view  # the demo's "Industry and market" #8a3b12
        stripe = page.locator(f"#item-{show}").evaluate("el => getComputedStyle(el).borderLeftColor")
        assert stripe == "rgb(107, 45, 92)", view  # "Fashion and collections" #6b2d5c


def test_starred_items_make_my_programme_and_my_calendar(live_server, forum, screen):
    page, _ = screen
    plenary = forum["items"]["Raw materials and imports: plenary"]
    workshop = forum["items"]["Ornament and cut: workshop"]
    page.goto(f"{live_server}{PATH}")
    assert page.locator(".my-programme").is_hidden()
    for item in (workshop, plenary):
        star = page.locator(f"#item-{item} button.star")
        assert star.get_attribute("aria-pressed") == "false"
        star.click()
        assert star.get_attribute("aria-pressed") == "true"
    assert page.locator(".my-programme .my-count").inner_text() == "2"
    page.reload()
    assert page.locator(f"#item-{plenary} button.star").get_attribute("aria-pressed") == "true"
    ics = page.locator(".my-programme .my-ics").get_attribute("href")
    assert ics == f"/e/{SLUG}/programme.ics?items={min(plenary, workshop)},{max(plenary, workshop)}"
    page.locator(".my-programme .my-view").click()
    page.wait_for_url("**items=**")
    assert page.locator("h1").inner_text() == "Моя программа"
    assert page.locator("article.programme-item h3").all_inner_texts() == [
        "Сырьё и импорт: пленарное заседание", "Орнамент и крой: мастер-класс"]
    calendar = Calendar.from_ical(page.request.get(f"{live_server}{ics}").body())
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == [
        "Орнамент и крой: мастер-класс", "Сырьё и импорт: пленарное заседание"]
    # Unstarring removes it from the links.
    page.goto(f"{live_server}{PATH}")
    page.locator(f"#item-{workshop} button.star").click()
    assert page.locator(".my-programme .my-ics").get_attribute("href").endswith(f"?items={plenary}")


def test_now_and_next_are_marked_with_the_browsers_clock(live_server, forum, screen):
    page, _ = screen
    page.clock.set_fixed_time(local_instant(DAY_2, "11:45"))
    running = ["Exhibition of domestic manufacturers", "Round table on training staff",
               "Young designers' collections", "Coffee break"]
    for view in ("list", "grid"):
        page.goto(f"{live_server}{PATH}?view={view}")
        now = page.locator(".programme-item.is-now")
        assert sorted(now.evaluate_all("els => els.map(e => Number(e.dataset.item))")) == sorted(
            forum["items"][t] for t in running), view
        assert page.locator(".now-badge").first.inner_text() == "Сейчас"
        nxt = page.locator(".programme-item.is-next")
        assert nxt.evaluate_all("els => els.map(e => Number(e.dataset.item))") == [
            forum["items"]["Cluster initiatives: panel discussion"]]
        marker = ".grid-now-label" if view == "grid" else ".now-line"
        assert page.locator(marker).count() == 1 and "11:45" in page.locator(marker).inner_text()
    # The day after the forum: nothing is running, no line.
    page.clock.set_fixed_time(local_instant(DAY_2 + (DAY_2 - DAY_2.replace(day=9)), "12:00"))
    page.goto(f"{live_server}{PATH}")
    assert page.locator(".is-now, .now-line").count() == 0


def test_the_programme_in_each_view_has_no_serious_accessibility_violation(live_server, forum, browser):
    found = []
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.clock.set_fixed_time(local_instant(DAY_2, "11:45"))  # now and next marked too
        for lang in ("kk", "ru", "en"):
            for query in ("view=list", "view=grid", f"view=grid&day={DAY_2.isoformat()}&hall=1&q=а"):
                page.goto(f"{live_server}{PATH}?lang={lang}&{query}")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                page.locator("button.star").first.click()
                page.add_script_tag(path=str(require_tool(AXE_JS)))
                result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                found += [f"{name} {lang} {query}: {v['id']} {[n['target'] for n in v['nodes']][:3]}"
                          for v in result["violations"] if v["impact"] in ("serious", "critical")]
        context.close()
    assert not found, "\n".join(found)


def test_screenshots_of_the_programme(live_server, forum, browser):
    """Artefacts for a person to look at: tests/artifacts/programme/<view>-<viewport>-<lang>.png,
    during the second day (11:45) so "now" shows, with one item starred."""
    folder = ARTIFACTS / "programme"
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, is_mobile=name == "phone", has_touch=name == "phone")
        page = context.new_page()
        page.clock.set_fixed_time(local_instant(DAY_2, "11:45"))
        for lang in ("kk", "ru", "en"):
            for view in ("list", "grid"):
                page.goto(f"{live_server}{PATH}?lang={lang}&view={view}")
                star = page.locator(f"#item-{forum['items']['Cluster initiatives: panel discussion']} button.star")
                if star.get_attribute("aria-pressed") == "false":
                    star.click()
                page.evaluate("window.scrollTo(0, 0)")
                for suffix, full in (("", True), ("-first-screen", False)):
                    path = folder / f"{view}-{name}-{lang}{suffix}.png"
                    page.screenshot(path=str(path), full_page=full)
                    saved.append(path)
        context.close()
    print("\nProgramme screenshots:", folder)
    assert len(saved) == 24 and all(p.stat().st_size > 10_000 for p in saved)
