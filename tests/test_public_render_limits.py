"""Anonymous visitors cannot make the app render PDFs and exports at will: every public URL that
renders a file shares one rate limit per address (forumapp/rate_limits.py), set in the config,
and every other public URL is on a short list of pages whose work does not grow with what the
visitor asks for. Limits are switched on here (see tests/registration/test_rate_limits.py)."""

from __future__ import annotations

import pytest

from forumapp.awards.models import Certificate
from forumapp.extensions import db, limiter
from tests.conftest import make_item
from tests.registration.checkin_factories import make_registration
from tests.registration.test_rate_limits import browser, limited_apps  # noqa: F401 (fixture)
from tests.shows.test_public_show_pages import published_show

# Public URLs that render a file: each is limited.
RENDERS = {
    "programme_exports.programme_pdf_view", "programme_exports.programme_ics",
    "programme_exports.schedule_json_view", "programme_exports.schedule_xml_view",
    "shows.leaflet", "registration_ticket.ticket", "registration.my_calendar", "registration.my_certificate",
    "matchmaking.schedule_pdf", "matchmaking.schedule_ics",
}
# Public pages whose cost is bounded by the event's own data, whatever the query string says
# (their parameters pick a language from three, an item kind, a track, hall or day, a view, or
# narrow the programme: a search of at most 100 characters over the event's own items, at most
# 200 starred item ids).
BOUNDED_PAGES = {
    "programme.index", "programme.event_home", "programme.programme", "programme.item", "programme.people",
    "programme.person", "shows.show", "releases.changes", "matchmaking.home", "matchmaking.catalogue",
    "shows.collection", "awards.results", "organisations.index", "organisations.organisation",
    "media.file", "static", "favicon", "operations.healthz", "operations.readyz", "accounts.login", "accounts.logout",
}
# Limited on their own (registration: tests/registration/test_rate_limits.py; verify: below).
LIMITED_ELSEWHERE = {
    "registration.register", "registration.resend", "registration.manage_registration",
    "registration.cancel_registration", "registration.register_again", "awards.verify",
    # B2B: every form posted behind a participant's private link (its pages are bounded).
    "matchmaking.profile", "matchmaking.withdraw", "matchmaking.other_profile", "matchmaking.answer",
    "matchmaking.outcome",
    # The JSON API: one allowance per address for all of it (tests/api/test_rate_limits.py).
    *(f"api.{name}" for name in (
        "openapi", "events", "event", "items", "item", "halls", "tracks", "people", "person", "partners",
        "collections", "collection", "awards", "award", "organisations", "organisation", "registrations",
        "registration", "scan", "undo_checkin", "promote")),
}


def public_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if not rule.rule.startswith("/manage")}


def test_every_public_url_is_limited_or_known_to_be_bounded(app):
    """A new public URL fails here until someone decides whether it renders (and limits it)."""
    unclassified = public_endpoints(app) - RENDERS - BOUNDED_PAGES - LIMITED_ELSEWHERE
    assert unclassified == set(), f"classify these public endpoints: {sorted(unclassified)}"


@pytest.fixture
def public_files():
    event, item, _evening, _run = published_show()
    make_item(event, "Пленарное заседание", start="10:00", end="11:00")
    ticket = make_registration(event, status="confirmed")
    slug = event.slug
    return [f"/e/{slug}/programme.pdf", f"/e/{slug}/programme.ics", f"/e/{slug}/schedule.json",
            f"/e/{slug}/schedule.xml", f"/e/{slug}/shows/{item.id}/leaflet.pdf", f"/e/{slug}/r/{ticket.token}/ticket.pdf",
            f"/e/{slug}/r/{ticket.token}/calendar.ics"]


def test_each_public_render_answers_429_after_the_configured_limit(limited_apps, public_files):  # noqa: F811
    # The page cache off: every request renders (answers from the cache are not limited, below).
    limited = limited_apps(RATELIMIT_RENDERS="3 per minute", PAGE_CACHE=False)
    for url in public_files:
        limiter.reset()
        visitor = browser(limited, REMOTE_ADDR="203.0.113.1")
        for _ in range(3):
            assert visitor.get(url).status_code == 200, url
        response = visitor.get(url)
        assert response.status_code == 429, url
        assert "Too many attempts" in response.get_data(as_text=True) and int(response.headers["Retry-After"]) <= 60
        # Another address is not affected.
        assert browser(limited, REMOTE_ADDR="198.51.100.7").get(url).status_code == 200, url


def test_the_renders_share_one_allowance_per_address(limited_apps, public_files):  # noqa: F811
    """Going round the URLs (programme PDF, leaflet, calendar, …) does not multiply the allowance."""
    client = browser(limited_apps(RATELIMIT_RENDERS="4 per minute", PAGE_CACHE=False))
    statuses = [client.get(url).status_code for url in public_files]
    assert statuses == [200, 200, 200, 200] + [429] * (len(public_files) - 4)


def test_answers_from_the_page_cache_are_not_limited_but_renders_are(limited_apps, public_files):  # noqa: F811
    """A crowd behind one address (an office, a mobile operator's NAT) reads the published
    programme from the cache without being turned away; what renders still counts."""
    from forumapp.extensions import db
    from forumapp.programme.models import ProgrammeItem

    limited = limited_apps(RATELIMIT_RENDERS="2 per minute")
    crowd = browser(limited)
    pdf, calendar = public_files[0], public_files[1]
    assert [crowd.get(pdf).status_code for _ in range(10)] == [200] * 10, "one render, then the cache"
    assert crowd.get(calendar).status_code == 200  # the second render of the minute
    item = db.session.scalars(db.select(ProgrammeItem)).first()
    item.title = {"ru": "Новое название"}  # a new version: the next request renders again
    db.session.commit()
    assert crowd.get(pdf).status_code == 429


def test_the_verification_page_is_limited_by_its_own_setting(limited_apps):  # noqa: F811
    from tests.conftest import make_event

    event = make_event()
    certificate = Certificate(event_id=event.id, serial=1, number="TF-2016-00001", code="c0de", kind="award",
                              source="laureate:1", name={"ru": "Гүлмира Уақытова"}, organisation={}, reason={},
                              citation={})
    db.session.add(certificate)
    db.session.commit()
    client = browser(limited_apps(RATELIMIT_VERIFY="2 per minute"))
    assert [client.get("/verify/c0de").status_code for _ in range(2)] == [200, 200]
    assert client.get("/verify/unknown").status_code == 429, "guessing codes counts too"
