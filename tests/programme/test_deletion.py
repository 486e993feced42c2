"""Deleting items, halls, tracks, events, people and organisations: the page names the
consequences; deletion is refused (and nothing changes) where registrations, signups, issued
certificates or laureates would be lost; an allowed deletion leaves no row behind."""

import pytest

from forumapp.awards.models import Ceremony, Certificate, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem, Track
from forumapp.registration.models import ItemSignup, Registration
from forumapp.shows.models import CollectionShow, ShowSegment
from forumapp.sponsors.models import Sponsor
from tests.conftest import csrf_token, login, make_event, make_item
from tests.security.world import PASSWORD, build_world

M = "/manage/e/test-forum"


@pytest.fixture
def world(client):
    world = build_world()
    client.get("/?lang=en")
    assert login(client, world.users["admin"], PASSWORD).status_code == 302
    return world


def confirm(client, path):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "confirm": "yes"})


def count(model, **filters):
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


def test_an_item_with_signups_is_refused_with_the_number_named(client, world):
    plenary = world.ids["plenary"]
    page = client.get(f"{M}/items/{plenary}/delete").get_data(as_text=True)
    assert "1 registration is signed up for this item." in page and "Cancel the item instead" in page
    assert "Delete for good" not in page
    response = confirm(client, f"{M}/items/{plenary}/delete")
    assert response.status_code == 409
    assert db.session.get(ProgrammeItem, plenary) is not None and count(ItemSignup, item_id=plenary) == 1


def test_an_item_with_issued_certificates_or_that_was_public_is_refused(client, world):
    certificates = count(Certificate)  # the laureate's, and a participant's of the whole event
    page = client.get(f"{M}/items/{world.ids['ceremony_item']}/delete").get_data(as_text=True)
    assert "1 certificate has been issued for this item." in page
    assert "calendars that subscribed" in page  # it was published
    assert confirm(client, f"{M}/items/{world.ids['ceremony_item']}/delete").status_code == 409
    assert count(Ceremony) == 1 and count(Certificate) == certificates


def test_a_draft_show_goes_with_its_running_order_and_people(client, world):
    item = db.session.get(ProgrammeItem, world.ids["show_item"])
    item.status, item.announced = "draft", False
    db.session.add(ItemPerson(item_id=item.id, person_id=world.ids["person_id"], role="host"))
    db.session.commit()
    page = client.get(f"{M}/items/{item.id}/delete").get_data(as_text=True)
    assert "1 person loses their part in this item." in page and "running order" in page
    assert '<button type="submit" class="danger">Delete for good</button>' in page
    # The page alone (or a POST without confirm=yes) deletes nothing.
    client.post(f"{M}/items/{item.id}/delete", data={"csrf_token": csrf_token(client, f"{M}/items/{item.id}/delete")})
    assert db.session.get(ProgrammeItem, item.id) is not None
    response = confirm(client, f"{M}/items/{item.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id) is None
    assert count(ItemPerson, item_id=item.id) == 0 and count(CollectionShow, item_id=item.id) == 0
    assert count(ShowSegment) == 0


def test_a_hall_and_a_track_go_and_their_items_stay(client, world):
    page = client.get(f"{M}/halls/{world.ids['hall']}/delete").get_data(as_text=True)
    assert "1 item in this hall will have no hall." in page
    assert confirm(client, f"{M}/halls/{world.ids['hall']}/delete").status_code == 302
    assert confirm(client, f"{M}/tracks/{world.ids['track']}/delete").status_code == 302
    db.session.expire_all()
    plenary = db.session.get(ProgrammeItem, world.ids["plenary"])
    assert plenary.hall_id is None and plenary.track_id is None
    assert count(Hall) == 0 and count(Track) == 0


def test_an_event_with_registrations_is_refused_and_archiving_is_offered(client, world):
    page = client.get(f"{M}/delete").get_data(as_text=True)
    registered = count(Registration, event_id=db.session.scalar(db.select(Event.id).filter_by(slug="test-forum")))
    assert f"{registered} people have registered for this event." in page and "Archive the event instead" in page
    assert confirm(client, f"{M}/delete").status_code == 409
    assert db.session.scalar(db.select(Event).filter_by(slug="test-forum")) is not None


def test_an_event_without_participants_goes_with_everything_of_it(client, world):
    event = db.session.scalar(db.select(Event).filter_by(slug="other-forum"))
    hall = Hall(event_id=event.id, name={"ru": "Зал"})
    db.session.add(hall)
    db.session.commit()
    item = make_item(event, "Доклад", hall_id=hall.id, status="draft")
    db.session.add(ItemPerson(item_id=item.id, person_id=world.ids["person_id"], role="speaker"))
    db.session.commit()
    page = client.get("/manage/e/other-forum/delete").get_data(as_text=True)
    assert "1 programme item goes with it." in page and "1 team member loses access." in page
    assert confirm(client, "/manage/e/other-forum/delete").status_code == 302
    db.session.expire_all()
    # No row of any table names the event any more.
    for mapper in db.Model.registry.mappers:
        column = mapper.local_table.c.get("event_id")
        if column is not None:
            assert db.session.scalar(db.select(db.func.count()).where(column == event.id)) == 0, mapper.class_
    assert count(ItemPerson, item_id=item.id) == 0 and count(Event, slug="other-forum") == 0


def test_an_organiser_who_is_not_an_admin_cannot_delete_an_event(client, app):
    from tests.conftest import make_user

    make_event()
    make_user()
    from forumapp.accounts.models import ORGANISER, EventRole, User

    user = db.session.scalar(db.select(User))
    db.session.add(EventRole(user_id=user.id, event_id=db.session.scalar(db.select(Event.id)), role=ORGANISER))
    db.session.commit()
    login(client)
    assert client.get(f"{M}/delete").status_code == 403
    assert "Delete the event" not in client.get(f"{M}/edit").get_data(as_text=True)


def test_a_laureate_cannot_be_deleted_and_a_speaker_can(client, world):
    person = world.ids["person_id"]
    page = client.get(f"/manage/people/{person}/delete").get_data(as_text=True)
    assert "laureate in 1 nomination" in page
    assert confirm(client, f"/manage/people/{person}/delete").status_code == 409
    assert db.session.get(Person, person) is not None

    speaker = Person(name={"ru": "Даулет Бакберген"})
    db.session.add(speaker)
    db.session.flush()
    db.session.add(ItemPerson(item_id=world.ids["plenary"], person_id=speaker.id, role="moderator"))
    db.session.commit()
    speaker_id = speaker.id
    page = client.get(f"/manage/people/{speaker_id}/delete").get_data(as_text=True)
    assert "They lose their part in 1 programme item." in page
    assert confirm(client, f"/manage/people/{speaker_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, speaker_id) is None and count(ItemPerson, person_id=speaker_id) == 0


def test_a_brand_with_collections_is_refused_and_a_partner_goes_with_its_partnership(client, world):
    brand = world.ids["organisation_id"]
    page = client.get(f"/manage/organisations/{brand}/delete").get_data(as_text=True)
    assert "1 collection is shown under this brand" in page and "laureate in 1 nomination" in page
    assert confirm(client, f"/manage/organisations/{brand}/delete").status_code == 409
    assert db.session.get(Organisation, brand) is not None and count(Sponsor) == 1

    db.session.execute(db.delete(Laureate))
    db.session.commit()
    partner = Organisation(name={"ru": "Партнёр"}, kind="enterprise")
    db.session.add(partner)
    db.session.flush()
    sponsor = db.session.scalar(db.select(Sponsor))
    sponsor.organisation_id = partner.id
    member = Person(name={"ru": "Сотрудник"}, organisation_id=partner.id)
    db.session.add(member)
    db.session.commit()
    page = client.get(f"/manage/organisations/{partner.id}/delete").get_data(as_text=True)
    assert "It stops being a partner of 1 event." in page and "1 person will be shown without an organisation." in page
    assert confirm(client, f"/manage/organisations/{partner.id}/delete").status_code == 302
    db.session.expire_all()
    assert count(Sponsor) == 0 and db.session.get(Person, member.id).organisation_id is None


def test_delete_buttons_look_like_danger_buttons(client, world):
    item_page = client.get(f"{M}/items/{world.ids['plenary']}").get_data(as_text=True)
    assert 'class="button danger"' in item_page and 'class="danger">Cancel the item' in item_page
    for path in (f"{M}/halls/{world.ids['hall']}", f"{M}/tracks/{world.ids['track']}", f"{M}/edit",
                 f"/manage/people/{world.ids['person_id']}", f"/manage/organisations/{world.ids['organisation_id']}"):
        assert 'class="button danger"' in client.get(path).get_data(as_text=True), path
    _unused = (Nomination, Registration)
