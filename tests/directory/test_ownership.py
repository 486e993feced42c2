"""Who may write the shared directory (docs/SECURITY.md, "Directory ownership"): site admins
everything; organisers create records and edit those used only by events they organise; check-in
staff and users without an organiser role never reach it."""

from __future__ import annotations

from datetime import date

import pytest

from forumapp.accounts.models import CHECKIN_STAFF, ORGANISER, EventRole
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import ItemPerson
from forumapp.sponsors.models import Sponsor, SponsorTier
from tests.conftest import csrf_token, login, make_event, make_item, make_user


def grant(user, event, role):
    db.session.add(EventRole(user_id=user.id, event_id=event.id, role=role))
    db.session.commit()


def person(name, organisation=None):
    record = Person(name={"en": name, "kk": "Гүлмира Уақытова"}, organisation=organisation)
    db.session.add(record)
    db.session.commit()
    return record


def speaks_at(record, event):
    item = make_item(event, f"Session with {record.name['en']}")
    db.session.add(ItemPerson(item_id=item.id, person_id=record.id, role="speaker"))
    db.session.commit()


def rename(client, url, name):
    token = csrf_token(client, "/e/forum-a/register")
    return client.post(url, data={"csrf_token": token, "name-en": name, "organisation_id": 0, "kind": "enterprise",
                                  "parent_id": 0})


@pytest.fixture
def forums():
    # Forum A's registration form is where the tests take a CSRF token: it is still to come
    # (registration closes when an event ends).
    return (make_event("forum-a", starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10)),
            make_event("forum-b", code="B-2016"))


@pytest.fixture
def organiser_of_b(client, forums):
    user = make_user("b@example.kz")
    grant(user, forums[1], ORGANISER)
    login(client, "b@example.kz")
    return client


def test_an_organiser_cannot_rename_a_person_in_another_events_programme(organiser_of_b, forums):
    forum_a, forum_b = forums
    chair = person("Gulmira Uakhitova")
    speaks_at(chair, forum_a)
    page = organiser_of_b.get(f"/manage/people/{chair.id}").get_data(as_text=True)
    assert "cannot change it here" in page and 'name="name-en"' not in page
    assert "Light Industry Forum" in page  # the event that holds the record is named
    draft = make_event("draft-forum", status="draft", code="D-2016", title={"en": "Secret Summit"})
    speaks_at(chair, draft)
    page = organiser_of_b.get(f"/manage/people/{chair.id}").get_data(as_text=True)
    assert "Secret Summit" not in page and "unpublished events: 1" in page  # a draft's title is not public
    assert rename(organiser_of_b, f"/manage/people/{chair.id}", "Mallory").status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, chair.id).name["en"] == "Gulmira Uakhitova"
    # Also used by their own event: still read-only, A's programme would change too.
    speaks_at(chair, forum_b)
    assert rename(organiser_of_b, f"/manage/people/{chair.id}", "Mallory").status_code == 403
    listing = organiser_of_b.get("/manage/people/").get_data(as_text=True)
    assert f'href="/manage/people/{chair.id}">Gulmira Uakhitova</a>' not in listing
    assert "(read-only)" in listing


def test_an_organiser_edits_people_used_only_by_their_events_and_unused_ones(organiser_of_b, forums):
    _forum_a, forum_b = forums
    own, unused = person("Aigul Nurlanovna"), person("Saule Zhanibekova")
    speaks_at(own, forum_b)
    for record in (own, unused):
        assert 'name="name-en"' in organiser_of_b.get(f"/manage/people/{record.id}").get_data(as_text=True)
        assert rename(organiser_of_b, f"/manage/people/{record.id}", "Renamed").status_code == 302
    listing = organiser_of_b.get("/manage/people/").get_data(as_text=True)
    assert f'href="/manage/people/{own.id}">Renamed</a>' in listing and "(read-only)" not in listing
    assert rename(organiser_of_b, "/manage/people/new", "New speaker").status_code == 302
    assert db.session.scalar(db.select(Person).where(Person.name["en"].as_string() == "New speaker"))


def test_an_organisation_is_used_by_the_events_of_its_partners_and_its_people(organiser_of_b, forums):
    forum_a, _forum_b = forums
    partner, employer = Organisation(name={"en": "Kazlegprom"}), Organisation(name={"en": "Semiramide"})
    db.session.add_all([partner, employer])
    db.session.commit()
    tier = SponsorTier(event_id=forum_a.id, name={"en": "Official partner"})
    db.session.add(tier)
    db.session.flush()
    db.session.add(Sponsor(event_id=forum_a.id, tier_id=tier.id, organisation_id=partner.id))
    db.session.commit()
    speaks_at(person("Designer", organisation=employer), forum_a)
    for organisation in (partner, employer):
        url = f"/manage/organisations/{organisation.id}"
        assert "cannot change it here" in organiser_of_b.get(url).get_data(as_text=True)
        assert rename(organiser_of_b, url, "Mallory LLP").status_code == 403
    db.session.expire_all()
    assert db.session.get(Organisation, partner.id).name["en"] == "Kazlegprom"
    assert rename(organiser_of_b, "/manage/organisations/new", "Zhasampaz").status_code == 302


@pytest.mark.parametrize("role", [CHECKIN_STAFF, None])
def test_checkin_staff_and_users_without_a_role_never_reach_the_directory(client, forums, role):
    user = make_user("staff@example.kz")
    if role:
        grant(user, forums[0], role)
    unused = person("Saule Zhanibekova")
    login(client, "staff@example.kz")
    for url in ("/manage/people/", "/manage/organisations/", "/manage/people/new", f"/manage/people/{unused.id}"):
        assert client.get(url).status_code == 403, url
    assert rename(client, "/manage/people/new", "Intruder").status_code == 403
    assert rename(client, f"/manage/people/{unused.id}", "Intruder").status_code == 403
    assert rename(client, "/manage/organisations/new", "Intruder").status_code == 403
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 0
    if role:
        desk = client.get("/manage/e/forum-a/checkin").get_data(as_text=True)
        assert "/manage/people/" not in desk


def test_a_site_admin_edits_every_record(admin_client, forums):
    forum_a, forum_b = forums
    shared = person("Gulmira Uakhitova")
    speaks_at(shared, forum_a)
    speaks_at(shared, forum_b)
    assert rename(admin_client, f"/manage/people/{shared.id}", "Гүлмира Уақытова").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, shared.id).name["en"] == "Гүлмира Уақытова"
