"""Each warning rule against its own definition (programme/warnings.py): a double-booked hall, a
person in two places, an item expecting more people than its hall holds; and that a cancelled
item takes part in none of them."""

import pytest

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.programme.models import Hall, ItemPerson
from forumapp.programme.services import event_items
from forumapp.programme.warnings import (
    HALL_DOUBLE_BOOKED,
    OVER_HALL_CAPACITY,
    PERSON_DOUBLE_BOOKED,
    schedule_warnings,
)
from tests.conftest import make_event, make_item


@pytest.fixture
def hall_event():
    event = make_event()
    hall = Hall(event=event, name={"ru": "Большой зал"}, capacity=50)
    other = Hall(event=event, name={"ru": "Малый зал"}, capacity=20, position=1)
    db.session.add_all([hall, other])
    db.session.commit()
    return event, hall, other


def kinds(event):
    return sorted((w.kind, w.item_ids) for w in schedule_warnings(event_items(event)))


def test_overlapping_items_in_one_hall_are_a_warning_and_touching_ones_are_not(hall_event):
    event, hall, _other = hall_event
    first = make_item(event, "Доклад", start="16:00", end="17:00", hall_id=hall.id)
    second = make_item(event, "Сессия", start="16:30", end="17:30", hall_id=hall.id)
    make_item(event, "После", start="17:30", end="18:00", hall_id=hall.id)  # starts as «Сессия» ends
    make_item(event, "Рядом", start="16:00", end="17:00", hall_id=_other.id)  # another hall
    assert kinds(event) == [(HALL_DOUBLE_BOOKED, (first.id, second.id))]


def test_a_person_in_two_halls_at_once_is_a_warning(hall_event):
    event, hall, other = hall_event
    person = Person(name={"ru": "Гульмира Уахитова"})
    first = make_item(event, "Доклад", start="10:00", end="11:00", hall_id=hall.id)
    second = make_item(event, "Круглый стол", start="10:45", end="12:00", hall_id=other.id)
    db.session.add_all([person, ItemPerson(item=first, person=person, role="speaker"),
                        ItemPerson(item=second, person=person, role="moderator")])
    db.session.commit()
    assert kinds(event) == [(PERSON_DOUBLE_BOOKED, (first.id, second.id))]


def test_an_item_expecting_more_than_its_hall_holds_is_a_warning(hall_event):
    event, hall, _other = hall_event
    item = make_item(event, "Пленарное", hall_id=hall.id, capacity=51)
    make_item(event, "Как раз", start="12:00", end="13:00", hall_id=hall.id, capacity=50)
    assert kinds(event) == [(OVER_HALL_CAPACITY, (item.id,))]


def test_a_cancelled_item_raises_no_warning_of_any_kind(hall_event):
    """The module's promise: cancelled items never conflict. Each rule is provoked by a
    cancelled item alone; counting it would make this fail."""
    event, hall, other = hall_event
    person = Person(name={"ru": "Даулет Бакберген"})
    make_item(event, "Идёт", start="16:00", end="17:00", hall_id=hall.id)
    same_hall = make_item(event, "Отменён", start="16:30", end="17:30", hall_id=hall.id, status="cancelled",
                          capacity=500)
    elsewhere = make_item(event, "Рядом", start="16:00", end="17:00", hall_id=other.id)
    db.session.add_all([person, ItemPerson(item=same_hall, person=person, role="speaker"),
                        ItemPerson(item=elsewhere, person=person, role="speaker")])
    db.session.commit()
    assert kinds(event) == []
    # The same schedule with the item back in draft raises all three.
    same_hall.status = "draft"
    db.session.commit()
    assert {kind for kind, _ids in kinds(event)} == {HALL_DOUBLE_BOOKED, PERSON_DOUBLE_BOOKED, OVER_HALL_CAPACITY}


def test_publishing_without_warnings_needs_no_confirmation(admin_client):
    from tests.conftest import csrf_token

    event = make_event(status="draft")
    make_item(event, "Черновик", status="draft")
    token = csrf_token(admin_client, "/manage/e/test-forum/")
    assert admin_client.post("/manage/e/test-forum/publish", data={"status": "published", "csrf_token": token}).status_code == 302
    assert admin_client.post("/manage/e/test-forum/items/publish-all", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert event.status == "published" and event.items[0].status == "published"


def test_a_draft_item_with_a_warning_asks_before_publish_all_and_a_cancelled_one_does_not(admin_client, hall_event):
    from tests.conftest import csrf_token

    event, hall, _other = hall_event
    make_item(event, "Идёт", start="16:00", end="17:00", hall_id=hall.id)
    cancelled = make_item(event, "Отменён", start="16:30", end="17:30", hall_id=hall.id, status="cancelled")
    make_item(event, "Черновик", start="18:00", end="19:00", hall_id=hall.id, status="draft")
    token = csrf_token(admin_client, "/manage/e/test-forum/")
    assert admin_client.post("/manage/e/test-forum/items/publish-all", data={"csrf_token": token}).status_code == 302
    cancelled.status, cancelled.title = "draft", {"ru": "Снова черновик"}
    db.session.commit()
    asked = admin_client.post("/manage/e/test-forum/items/publish-all", data={"csrf_token": token})
    assert asked.status_code == 200 and "Снова черновик" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert cancelled.status == "draft"
