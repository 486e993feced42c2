"""Issue #17's organiser journeys in a real browser, on a phone and on a desktop: next year's
edition copied, the event log read and filtered, many laureates added from a pasted list, the
certificates list searched, a print job's progress, and the running order labelled on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from forumapp.awards import services as awards
from forumapp.awards.models import Laureate, Nomination, PrintJob
from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow
from tests.browser.test_checkin_in_browser import sign_in
from tests.conftest import make_event, make_item, make_user
from tests.shows.helpers import make_brand, make_collection, make_show

SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=sorted(SIZES))
def screen(request, browser):
    context = browser.new_context(viewport=SIZES[request.param], locale="en-GB",
                                  is_mobile=request.param == "phone", has_touch=request.param == "phone")
    page = context.new_page()
    page.size = request.param
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.problems = problems
    yield page
    context.close()


def _fits(page) -> bool:
    """Nothing sticks out sideways (a phone would scroll the whole page)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _cell_label(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e, '::before').content")


def test_next_years_edition_is_copied_and_the_log_says_so(live_server, screen):
    make_user(admin=True)
    event = make_event("forum-2016", code="LIF-2016")
    make_item(event, "Пленарное заседание", start="10:00", end="11:00")
    sign_in(screen, live_server)
    screen.goto(f"{live_server}/manage/e/forum-2016/copy")
    assert _fits(screen)
    expect(screen.locator("input[name=slug]")).to_have_value("forum-2017")
    expect(screen.locator("input[name=starts_on]")).to_have_value("2017-06-08")  # Thursday, as in 2016
    screen.fill("input[name=slug]", "forum-2016")  # taken: an error on the field, nothing made
    screen.get_by_role("button", name="Make the copy").click()
    expect(screen.locator("#slug-error")).to_contain_text("already taken")
    screen.fill("input[name=slug]", "forum-2017")
    screen.get_by_role("button", name="Make the copy").click()
    screen.wait_for_url("**/manage/e/forum-2017/edit")
    expect(screen.locator(".flash")).to_contain_text("draft")
    copy = db.session.scalar(sa.select(Event).filter_by(slug="forum-2017"))
    assert copy.status == "draft" and copy.code == "LIF-2017" and len(copy.items) == 1

    screen.goto(f"{live_server}/manage/e/forum-2017/log")
    row = screen.locator("table.log tbody tr").first
    expect(row).to_contain_text("Copied")
    expect(row).to_contain_text("forum-2016")
    if screen.size == "phone":
        assert "Who" in _cell_label(screen, "table.log tbody tr td:nth-child(2)")
    assert _fits(screen)
    assert screen.problems == []


def test_the_log_is_filtered_and_names_who_changed_what(live_server, screen):
    make_user(admin=True)
    event = make_event()
    sign_in(screen, live_server)
    screen.goto(f"{live_server}/manage/e/{event.slug}/halls")
    screen.fill("input[name='name-en']", "Hall <b>A</b>")
    screen.locator("main form button[type=submit]").last.click()
    screen.goto(f"{live_server}/manage/e/{event.slug}/log")
    screen.select_option("#log-kind", "hall")
    screen.get_by_role("button", name="Show").click()
    rows = screen.locator("table.log tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("organiser@example.kz")
    expect(rows.first).to_contain_text("Hall: Hall <b>A</b>")  # shown as typed, not as markup
    assert screen.locator("table.log b").count() == 0
    assert "kind=hall" in screen.url
    assert _fits(screen)


def _ceremony_with_a_nomination():
    event = make_event()
    item = make_item(event, "Церемония", start="16:00", end="17:00", kind="award_ceremony")
    ceremony = awards.ceremony_for(item)
    db.session.add(Nomination(ceremony_id=ceremony.id, title={"en": "Collection of the year"}))
    db.session.add(Person(name={"en": "Gulmira Uakhitova"}))
    db.session.commit()
    return event, item


def test_many_laureates_are_pasted_previewed_and_added(live_server, screen):
    make_user(admin=True)
    event, item = _ceremony_with_a_nomination()
    sign_in(screen, live_server)
    screen.goto(f"{live_server}/manage/e/{event.slug}/awards/c/{item.id}")
    expect(screen.locator("#add-nomination")).to_have_text("Add a new nomination")
    screen.get_by_role("link", name="Add many laureates (list or file)").click()
    screen.fill("textarea[name=rows]", "Collection of the year\tgulmira uakhitova\t\t1\n"
                                       "Collection of the year\tNew Person\t\tGrand Prix\n"
                                       "Unknown award\tSomebody\t\t2")
    screen.get_by_role("button", name="Show the preview").click()
    expect(screen.locator("text=Rows ready: 2 of 3.")).to_be_visible()
    expect(screen.locator("table.preview tr.has-error")).to_have_count(1)
    if screen.size == "phone":
        assert "Errors" in _cell_label(screen, "table.preview tbody tr td:nth-child(6)")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Laureate)) == 0
    screen.get_by_role("button", name="Add 2 laureates").click()
    expect(screen.locator(".flash")).to_contain_text("2 laureates were added; 1 rows with errors were left out.")
    expect(screen.locator("section.nomination li")).to_have_count(2)
    assert _fits(screen)


def test_the_certificates_list_is_searched_and_a_print_job_shows_progress(live_server, screen):
    make_user(admin=True)
    event, item = _ceremony_with_a_nomination()
    nomination = db.session.scalar(sa.select(Nomination))
    gulmira = db.session.scalar(sa.select(Person))  # made with the nomination
    for person in (gulmira, Person(name={"en": "Daulet Bakbergen"})):
        db.session.add(Laureate(nomination=nomination, person=person, place="first"))
    db.session.commit()
    awards.issue(event, "award")
    job = PrintJob(event_id=event.id, scope="kind:award", fingerprint="3" * 64, status="running", done=4, total=20,
                   created_at=utcnow() - timedelta(seconds=8))
    db.session.add(job)
    db.session.commit()
    sign_in(screen, live_server)
    screen.goto(f"{live_server}/manage/e/{event.slug}/awards/certificates")
    screen.fill("#cert-q", "daulet")
    screen.get_by_role("button", name="Show").click()
    rows = screen.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Daulet Bakbergen")
    if screen.size == "phone":
        assert "Number" in _cell_label(screen, "main table tbody tr td:nth-child(1)")
    assert _fits(screen)

    screen.goto(f"{live_server}/manage/e/{event.slug}/awards/jobs/{job.id}")
    expect(screen.locator("#job-status")).to_have_text("printing")
    expect(screen.locator("#job-text")).to_have_text("4 of 20 pages")
    expect(screen.locator("#job-left")).to_contain_text("About 0:3")  # 8 s for 4 pages: ~32 s for 16 more
    bar = screen.locator("#job-progress").bounding_box()
    holder = screen.locator("#job").bounding_box()
    assert bar["width"] >= holder["width"] * 0.95
    screen.goto(f"{live_server}/manage/e/{event.slug}/awards/jobs/{job.id}?lang=ru")
    expect(screen.locator("#job-status")).to_have_text("печатается")


def test_the_running_order_on_a_phone_names_each_time(live_server, screen):
    make_user(admin=True)
    event = make_event()
    item = make_item(event, "Show", start="15:00", end="16:00", kind="collection_show")
    first = make_collection(event, make_brand("Kazlegprom"), {"en": "Steppe Road"}, looks=12)
    second = make_collection(event, make_brand("ZIBROO"), {"en": "Run Almaty"}, looks=5)
    make_show(item, [(first, None), (second, None)])
    sign_in(screen, live_server)
    screen.goto(f"{live_server}/manage/e/{event.slug}/shows/{item.id}")
    rows = screen.locator("tr[data-segment-id]")
    expect(rows.first.locator("td.starts")).to_have_text("15:00")
    expect(rows.nth(1).locator("td.starts")).to_have_text("15:08")  # 12 looks × 40 s, no seconds shown
    assert rows.first.get_by_role("button", name="Move up").count() == 0
    assert rows.nth(1).get_by_role("button", name="Move down").count() == 0
    if screen.size == "phone":
        assert "Starts" in _cell_label(screen, "tr[data-segment-id] td.starts")
        assert "Backstage call" in _cell_label(screen, "tr[data-segment-id] td.call")
    else:
        assert _cell_label(screen, "tr[data-segment-id] td.starts") in ("none", "normal")
