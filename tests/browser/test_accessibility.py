"""axe-core, injected into Debian's Chromium, finds no serious or critical accessibility
violation on the public, participant and organiser pages, on a phone and a desktop, in Kazakh,
Russian and English."""

from __future__ import annotations

import pytest

from forumapp.extensions import db
from tests.conftest import make_user
from tests.quality.crawl import AXE_JS, require_tool

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
SLUG = "light-industry-forum-2016"


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    from forumapp.awards.models import Certificate
    from forumapp.programme.models import ItemPerson, ProgrammeItem
    from forumapp.registration.models import Registration

    return {
        "token": db.session.scalars(db.select(Registration.token)).first(),
        "item": db.session.scalars(db.select(ProgrammeItem.id).where(ProgrammeItem.status == "published")).first(),
        "certificate": db.session.scalars(db.select(Certificate)).first(),
        "person": db.session.scalars(
            db.select(ItemPerson.person_id).join(ProgrammeItem).where(ProgrammeItem.status == "published")
        ).first(),
    }


def _public_pages(demo) -> list[str]:
    pages = ["/", f"/e/{SLUG}/", f"/e/{SLUG}/programme", f"/e/{SLUG}/items/{demo['item']}",
             f"/e/{SLUG}/register", f"/e/{SLUG}/r/{demo['token']}", "/login", "/organisations/",
             f"/e/{SLUG}/people/", f"/e/{SLUG}/people/{demo['person']}", f"/e/{SLUG}/changes"]
    if demo["certificate"] is not None:
        pages.append(f"/verify/{demo['certificate'].code}")
    return pages


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(require_tool(AXE_JS)))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{url}: {v['impact']} {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_and_participant_pages_have_no_serious_violations(live_server, browser, demo, viewport):
    found = []
    for lang in ("kk", "ru", "en"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)  # to inject axe
        page = context.new_page()
        page.goto(f"{live_server}/?lang={lang}")  # remembered in the cookie
        for path in _public_pages(demo):
            found += _violations(page, f"{live_server}{path}")
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_organiser_pages_have_no_serious_violations(live_server, browser, demo, viewport):
    make_user("axe@example.kz", admin=True)
    found = []
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)  # to inject axe
    page = context.new_page()
    page.goto(f"{live_server}/login?lang=en")
    page.fill("input[name=email]", "axe@example.kz")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form button[type=submit]")
    base = f"/manage/e/{SLUG}"
    paths = ["/manage/", f"{base}/", f"{base}/edit", f"{base}/items/new", f"{base}/registrations",
             f"{base}/checkin", f"{base}/awards/", f"{base}/awards/certificates", f"{base}/partners/",
             f"{base}/collections", f"{base}/shows", f"{base}/registration/settings", "/manage/people/",
             f"{base}/releases", f"{base}/api-tokens", f"{base}/webhooks"]
    # Organisers' pages share one layout and their forms: every page in every language on the
    # desktop, and on a phone in Kazakh (the longest words) to keep the run short.
    for lang in ("kk", "ru", "en") if viewport == "desktop" else ("kk",):
        page.goto(f"{live_server}/manage/?lang={lang}")
        for path in paths:
            found += _violations(page, f"{live_server}{path}")
    context.close()
    assert not found, "\n".join(found)
