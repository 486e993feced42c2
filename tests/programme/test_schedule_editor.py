"""The schedule editor: items span their duration, overlaps sit side by side and are marked, an
empty slot opens a new item there, and a move (drag and drop's request) is checked again on the
server and answered with the warnings."""

import re
from datetime import date, time

import pytest

from forumapp.extensions import db
from forumapp.programme.grid import day_grid
from forumapp.programme.models import Hall, ProgrammeItem
from tests.conftest import csrf_token, make_event, make_item

M = "/manage/e/test-forum"


@pytest.fixture
def two_halls(admin_client):
    event = make_event(status="draft")
    big = Hall(event=event, name={"en": "Main hall"}, capacity=100)
    small = Hall(event=event, name={"en": "Small hall"}, capacity=20, position=1)
    db.session.add_all([big, small])
    db.session.commit()
    return event, big, small


def item_cells(html):
    return re.findall(r'<td rowspan="(\d+)" class="slot-item( overlap)?" data-hall-id="(\d+)" data-start="([\d:]+)">', html)


def test_overlapping_items_in_one_hall_sit_side_by_side_and_are_marked(admin_client, two_halls):
    event, big, small = two_halls
    make_item(event, "Доклад", start="16:00", end="17:00", hall_id=big.id)
    make_item(event, "Сессия", start="16:30", end="17:30", hall_id=big.id)
    make_item(event, "Рядом", start="16:00", end="17:30", hall_id=small.id)
    html = admin_client.get(f"{M}/").get_data(as_text=True)
    cells = item_cells(html)
    # Each spans its duration in quarter hours; the two in the main hall overlap, the other not.
    assert ("4", " overlap", str(big.id), "16:00") in cells and ("4", " overlap", str(big.id), "16:30") in cells
    assert ("6", "", str(small.id), "16:00") in cells
    assert '<th scope="col" colspan="2">Main hall</th>' in html  # two lanes
    assert '<th scope="col" colspan="1">Small hall</th>' in html
    assert html.count("Overlaps another item in this hall") == 2


def test_a_cancelled_item_is_shown_but_not_marked_as_overlapping(admin_client, two_halls):
    event, big, _small = two_halls
    make_item(event, "Доклад", start="16:00", end="17:00", hall_id=big.id)
    make_item(event, "Отменён", start="16:30", end="17:30", hall_id=big.id, status="cancelled")
    cells = item_cells(admin_client.get(f"{M}/").get_data(as_text=True))
    assert len(cells) == 2 and all(overlap == "" for _span, overlap, _hall, _start in cells)


def test_times_off_the_quarter_hours_get_finer_slots_and_never_share_a_cell(app, two_halls):
    event, big, _small = two_halls
    first = make_item(event, "A", start="10:05", end="10:50", hall_id=big.id)
    second = make_item(event, "B", start="10:50", end="11:20", hall_id=big.id)
    grid = day_grid(event.starts_on, [first, second], [big], no_hall_label="—")
    assert grid.slot_minutes == 5 and grid.columns[0].lanes == 1
    spans = {cell.item.id: cell.rowspan for row in grid.rows for cell in row.cells if cell.item}
    assert spans == {first.id: 9, second.id: 6}
    # Every row has one cell per lane, or fewer where an item above spans into it.
    assert all(len(row.cells) <= 1 for row in grid.rows)
    assert grid.rows[0].starts == time(9)  # the day is offered from 9:00 even if it starts later


def test_an_empty_slot_opens_a_new_item_in_that_hall_at_that_time(admin_client, two_halls):
    event, big, small = two_halls
    html = admin_client.get(f"{M}/").get_data(as_text=True)
    link = f"{M}/items/new?day=2016-06-10&amp;start=10:15&amp;hall={small.id}"
    assert f'href="{link}"' in html and "New item at 10:15, Small hall" in html
    form = admin_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'<option selected value="{small.id}">Small hall', form)
    assert 'value="10:15"' in form and 'value="11:15"' in form and 'value="2016-06-10"' in form
    # Values that are not the event's are ignored, not an error.
    assert admin_client.get(f"{M}/items/new?day=1999-01-01&start=99:99&hall=12345").status_code == 200


def move(client, item_id, token, **body):
    return client.post(f"{M}/items/{item_id}/move", json=body, headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_moving_an_item_keeps_its_duration_and_answers_with_the_warnings(admin_client, two_halls):
    event, big, small = two_halls
    talk = make_item(event, "Доклад", start="16:00", end="17:00", hall_id=big.id, capacity=50)
    make_item(event, "Сессия", start="10:00", end="11:00", hall_id=small.id)
    token = csrf_token(admin_client, f"{M}/")
    response = move(admin_client, talk.id, token, hall_id=str(small.id), day="2016-06-09", start="10:30")
    assert response.status_code == 200 and response.json["ok"]
    assert {w["kind"] for w in response.json["warnings"]} == {"hall_double_booked", "over_hall_capacity"}
    db.session.expire_all()
    talk = db.session.get(ProgrammeItem, talk.id)
    assert talk.hall_id == small.id and (talk.local_start.time(), talk.local_end.time()) == (time(10, 30), time(11, 30))
    # The schedule shows the new warnings.
    assert 'data-kind="hall_double_booked"' in admin_client.get(f"{M}/").get_data(as_text=True)


def test_a_move_that_breaks_a_rule_is_refused_and_changes_nothing(admin_client, two_halls):
    event, big, _small = two_halls
    other = make_event(slug="other-forum")
    foreign = Hall(event=other, name={"en": "Elsewhere"})
    db.session.add(foreign)
    db.session.commit()
    talk = make_item(event, "Доклад", start="16:00", end="17:00", hall_id=big.id)
    token = csrf_token(admin_client, f"{M}/")
    cases = [
        ({"hall_id": foreign.id, "day": "2016-06-09", "start": "10:00"}, "not one of the event's halls"),
        ({"hall_id": big.id, "day": "2016-07-01", "start": "10:00"}, "one of the event's days"),
        ({"hall_id": big.id, "day": "2016-06-09", "start": "23:30"}, "after midnight"),
        ({"hall_id": big.id, "day": "2016-06-09", "start": "25:00"}, "start time"),
        ({"hall_id": "x", "day": "2016-06-09", "start": "10:00"}, "start time"),
    ]
    for body, message in cases:
        response = move(admin_client, talk.id, token, **body)
        assert response.status_code == 400 and message in response.json["error"], body
    assert admin_client.post(f"{M}/items/{talk.id}/move", json=[1, 2], headers={"X-CSRFToken": token}).status_code == 400
    # Without the CSRF token: refused before anything is read.
    assert admin_client.post(f"{M}/items/{talk.id}/move", json={"hall_id": 0, "day": "2016-06-09",
                                                                 "start": "10:00"}).status_code == 400
    db.session.expire_all()
    talk = db.session.get(ProgrammeItem, talk.id)
    assert talk.hall_id == big.id and talk.local_start.time() == time(16, 0)


def test_a_move_posted_as_a_form_goes_back_to_the_schedule(admin_client, two_halls):
    event, big, small = two_halls
    talk = make_item(event, "Доклад", start="16:00", end="17:00", hall_id=big.id)
    token = csrf_token(admin_client, f"{M}/")
    response = admin_client.post(f"{M}/items/{talk.id}/move",
                                 data={"csrf_token": token, "hall_id": 0, "day": "2016-06-10", "start": "09:00"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{M}/")
    db.session.expire_all()
    talk = db.session.get(ProgrammeItem, talk.id)
    assert talk.hall_id is None and talk.local_start.date() == date(2016, 6, 10)
