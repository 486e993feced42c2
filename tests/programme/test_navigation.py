"""The event's menu: grouped, the page shown marked, kept on the directory's pages; flash
messages nest quotes the typographic way."""

import re

from forumapp.extensions import db
from forumapp.programme.models import Hall
from tests.conftest import csrf_token, make_event, make_item

M = "/manage/e/test-forum"


def current_links(html):
    return re.findall(r'<a class="nav-link" href="([^"]+)" aria-current="page">', html)


def groups(html):
    return re.findall(r'<span class="nav-group-name">([^<]+):</span>', html)


def test_the_menu_is_grouped_and_marks_the_page_shown(admin_client):
    event = make_event()
    item = make_item(event)
    html = admin_client.get(f"{M}/halls").get_data(as_text=True)
    assert groups(html) == ["Programme", "Participants", "Awards", "Shows", "Partners", "Settings"]
    assert current_links(html) == [f"{M}/halls"]
    assert re.search(r'<div class="nav-group current">\s*<a class="nav-group-link" href="/manage/e/test-forum/"', html)
    assert current_links(admin_client.get(f"{M}/items/new").get_data(as_text=True)) == [f"{M}/items/new"]
    # Editing an item belongs to the schedule, not to "Add an item".
    assert current_links(admin_client.get(f"{M}/items/{item.id}").get_data(as_text=True)) == [f"{M}/"]
    assert current_links(admin_client.get(f"{M}/edit").get_data(as_text=True)) == [f"{M}/edit"]
    # A page of another area marks its group even without a link of its own.
    awards = admin_client.get(f"{M}/awards/").get_data(as_text=True)
    assert re.search(r'<div class="nav-group current">\s*<a class="nav-group-link" href="/manage/e/test-forum/awards/"', awards)


def test_the_directory_keeps_the_events_menu(admin_client):
    make_event()
    html = admin_client.get(f"{M}/").get_data(as_text=True)
    assert 'href="/manage/people/?event=test-forum"' in html
    people = admin_client.get("/manage/people/?event=test-forum").get_data(as_text=True)
    assert 'class="event-nav"' in people and current_links(people) == ["/manage/people/?event=test-forum"]
    assert 'href="/manage/people/new?event=test-forum"' in people
    # Saving a new person comes back to the list, still in the event's menu.
    path = "/manage/people/new?event=test-forum"
    response = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, path), "name-ru": "Айгерим",
                                             "organisation_id": 0})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/people/?event=test-forum")
    # Without the event, or with one the user does not organise, the page has no event menu.
    assert 'class="event-nav"' not in admin_client.get("/manage/people/").get_data(as_text=True)
    assert 'class="event-nav"' not in admin_client.get("/manage/people/?event=nowhere").get_data(as_text=True)


def test_a_flash_message_does_not_nest_the_same_quotes(admin_client):
    event = make_event()
    db.session.add(Hall(event=event, name={"ru": "Зал"}))
    db.session.commit()
    item = make_item(event, "Церемония награждения «Лучший производитель»", kind="award_ceremony")
    path = f"{M}/items/{item.id}"
    data = {"csrf_token": csrf_token(admin_client, path), "kind": "award_ceremony",
            "title-ru": "Церемония награждения «Лучший производитель»", "day": "2016-06-09", "start": "10:00",
            "end": "11:00", "hall_id": 0, "track_id": 0, "status": "published"}
    page = admin_client.post(path, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Saved «Церемония награждения „Лучший производитель“»." in page
    assert "»»" not in page
