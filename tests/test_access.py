"""Nobody reaches a management page without signing in and holding the right role."""

import pytest

from forumapp.accounts.models import ORGANISER, EventRole
from forumapp.extensions import db
from tests.conftest import login, make_event, make_item, make_user

DUMMY_ARGUMENTS = {"slug": "test-forum", "int": 1, "default": "x", "string": "x", "path": "x"}


def management_urls(app):
    """Every /manage URL in the app, with its URL arguments filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage"):
            continue
        url = rule.rule
        for argument in rule.arguments:
            converter = type(rule._converters[argument]).__name__.replace("Converter", "").lower()
            value = DUMMY_ARGUMENTS["slug"] if argument == "slug" else DUMMY_ARGUMENTS.get(
                {"integer": "int", "unicode": "string"}.get(converter, converter), "1"
            )
            url = url.replace(f"<{rule._converters[argument].__class__.__name__}:{argument}>", str(value))
            for pattern in (f"<int:{argument}>", f"<{argument}>", f"<path:{argument}>", f"<string:{argument}>"):
                url = url.replace(pattern, str(value))
        yield url, rule.methods - {"HEAD", "OPTIONS"}


def test_the_url_map_has_management_pages(app):
    urls = dict(management_urls(app))
    assert len(urls) >= 15
    assert all("<" not in url for url in urls)


def test_anonymous_visitors_reach_no_management_page(app, client):
    event = make_event()
    make_item(event)
    app.config["WTF_CSRF_ENABLED"] = False  # so a POST is judged on access, not on its token
    try:
        for url, methods in management_urls(app):
            for method in methods:
                response = client.open(url, method=method)
                assert response.status_code in (302, 401, 403, 404), (method, url, response.status_code)
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], (method, url)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("role", [None, "checkin_staff"])
def test_users_without_the_organiser_role_get_403(client, role):
    event = make_event()
    other = make_event("other-forum")
    user = make_user("staff@example.kz")
    if role:
        db.session.add(EventRole(user_id=user.id, event_id=event.id, role=role))
    db.session.add(EventRole(user_id=user.id, event_id=other.id, role=ORGANISER))
    db.session.commit()
    login(client, "staff@example.kz")
    for path in ("/manage/e/test-forum/", "/manage/e/test-forum/edit", "/manage/e/test-forum/halls",
                 "/manage/e/test-forum/items/new", "/manage/e/test-forum/team"):
        assert client.get(path).status_code == 403, path
    assert client.get("/manage/e/other-forum/").status_code == 200
    assert client.get("/manage/events/new").status_code == 403
    listing = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/e/other-forum/"' in listing and 'href="/manage/e/test-forum/"' not in listing
