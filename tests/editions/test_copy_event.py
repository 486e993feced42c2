"""Next year's forum in one step: an event copied as a draft, its structure moved to new dates,
nothing of the people who came."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from forumapp.accounts.models import EventRole
from forumapp.audit.models import AuditEntry
from forumapp.awards.models import Ceremony, Certificate, CertificateDesign, Laureate, Nomination, PrintJob
from forumapp.editions.services import CopyRequest, SlugTaken, copy_event, same_weekday_next_year, shift_local
from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem
from forumapp.registration.models import (
    ItemSignup,
    ParticipantCategory,
    Question,
    Registration,
    RegistrationSettings,
)
from forumapp.shows.models import CollectionShow, ShowSegment
from forumapp.sponsors.models import Sponsor, SponsorTier
from tests.conftest import csrf_token, login
from tests.security.world import PASSWORD, build_world


def _count(model, **where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**where))


def _item_count(model, event_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).join(ProgrammeItem, ProgrammeItem.id == model.item_id)
        .where(ProgrammeItem.event_id == event_id)
    )


def test_same_weekday_a_year_later():
    assert same_weekday_next_year(date(2016, 6, 9)) == date(2017, 6, 8)  # Thursday -> Thursday
    assert same_weekday_next_year(date(2016, 6, 9)).weekday() == date(2016, 6, 9).weekday()
    assert same_weekday_next_year(date(2016, 2, 29)).weekday() == date(2016, 2, 29).weekday()


def test_local_times_survive_a_change_of_utc_offset():
    # Berlin: 10:00 in winter is 09:00 UTC, in summer 08:00 UTC; the copy keeps 10:00 local.
    moved = shift_local(datetime(2026, 1, 15, 9, 0), 182, "Europe/Berlin")
    assert moved == datetime(2026, 7, 16, 8, 0)


def test_the_copy_has_the_structure_and_none_of_the_people(app):
    world = build_world()
    source = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    source_items = {i.display_title: i for i in source.items}
    registrations_before = _count(Registration, event_id=source.id)
    next_year = same_weekday_next_year(source.starts_on)
    new = copy_event(source, CopyRequest(slug="test-forum-next", starts_on=next_year,
                                         title={"en": "Light Industry Forum, next year"}, code="TF-NEXT"))

    assert (new.status, new.starts_on, new.ends_on, new.code) == (
        "draft", next_year, next_year + (source.ends_on - source.starts_on), "TF-NEXT")
    assert new.title == {"en": "Light Industry Forum, next year"}
    assert new.venue == source.venue and new.timezone == source.timezone
    # Halls, tracks and items, the items as drafts on the same day of the event at the same local time.
    assert [h.name for h in new.halls] == [h.name for h in source.halls]
    assert [t.name for t in new.tracks] == [t.name for t in source.tracks]
    assert len(new.items) == len(source.items)
    for item in new.items:
        old = source_items[item.display_title]
        assert item.status == "draft" and not item.announced
        assert item.local_start.time() == old.local_start.time()
        assert (item.local_start.date() - new.starts_on) == (old.local_start.date() - source.starts_on)
        assert item.local_start.weekday() == old.local_start.weekday()
        assert item.hall_id is None or item.hall_id in {h.id for h in new.halls}
        assert item.track_id is None or item.track_id in {t.id for t in new.tracks}
    # Ceremonies with their nominations, no laureates; the design follows the ceremony.
    assert _item_count(Ceremony, new.id) == 1
    ceremony = db.session.scalar(sa.select(Ceremony).join(ProgrammeItem).where(ProgrammeItem.event_id == new.id))
    assert [n.title for n in ceremony.nominations] == [{"ru": "Коллекция года"}]
    assert ceremony.nominations[0].laureates == [] and not ceremony.results_published
    assert _count(CertificateDesign, event_id=new.id) == 1
    if ceremony.design_id:
        assert db.session.get(CertificateDesign, ceremony.design_id).event_id == new.id
    # Backstage settings of a show, not its running order (collections are the edition's).
    assert _item_count(CollectionShow, new.id) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShowSegment).join(CollectionShow)
                             .join(ProgrammeItem).where(ProgrammeItem.event_id == new.id)) == 0
    # Registration settings, categories, questions, partners.
    assert _count(RegistrationSettings, event_id=new.id) == 1
    assert _count(ParticipantCategory, event_id=new.id) == _count(ParticipantCategory, event_id=source.id) > 0
    assert _count(Question, event_id=new.id) == 1
    assert _count(SponsorTier, event_id=new.id) == 1 and _count(Sponsor, event_id=new.id) == 1
    # Nothing of the people who came, or of what was issued to them.
    for model in (Registration, Certificate, PrintJob):
        assert _count(model, event_id=new.id) == 0, model.__name__
    assert _item_count(ItemPerson, new.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemSignup).join(Registration)
                             .where(Registration.event_id == new.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Laureate).join(Nomination).join(Ceremony)
                             .join(ProgrammeItem).where(ProgrammeItem.event_id == new.id)) == 0
    # The organisers come along; check-in staff do not.
    roles = {(r.user.email, r.role) for r in db.session.scalars(sa.select(EventRole).filter_by(event_id=new.id))}
    assert roles == {("organiser@test-forum.kz", "organiser")}
    # The source is untouched.
    assert registrations_before and _count(Registration, event_id=source.id) == registrations_before
    assert source.status == "published"
    # One log entry for the copy on each side, not one per copied row.
    assert [(e.action, e.changes[0]["new"]) for e in db.session.scalars(sa.select(AuditEntry).filter_by(event_id=new.id))] \
        == [("copied", "test-forum")]
    assert _count(AuditEntry, event_id=source.id, action="copied") == 1


def test_a_taken_address_is_refused_and_nothing_is_copied(app):
    world = build_world()
    source = db.session.scalar(sa.select(Event).filter_by(slug=world.slug))
    events, halls = _count(Event), _count(Hall)
    with pytest.raises(SlugTaken):
        copy_event(source, CopyRequest(slug="other-forum", starts_on=date(2017, 6, 8), title={}, code=""))
    assert (_count(Event), _count(Hall)) == (events, halls)


def _organiser_client(app, world):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, world.users["organiser"], PASSWORD).status_code == 302
    return client


def test_the_copy_page_proposes_next_year_and_makes_the_copy(app):
    world = build_world()
    client = _organiser_client(app, world)
    page = client.get(f"/manage/e/{world.slug}/copy").get_data(as_text=True)
    # The world's forum runs on 9-10 June 2036 (a Monday), coded TF-2016: the proposal is the
    # same weekday a year later, the year moved on in the address (the code names no 2036: kept).
    assert 'value="test-forum-2037"' in page and 'value="2037-06-08"' in page and 'value="TF-2016"' in page
    token = csrf_token(client, f"/manage/e/{world.slug}/copy")
    response = client.post(f"/manage/e/{world.slug}/copy", data={
        "csrf_token": token, "title-en": "Forum 2017", "slug": "forum-2017", "starts_on": "2017-06-08", "code": "F-17",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/e/forum-2017/edit")
    new = db.session.scalar(sa.select(Event).filter_by(slug="forum-2017"))
    assert new.status == "draft" and new.title == {"en": "Forum 2017"}
    # The organiser (not an admin) organises the copy.
    assert client.get("/manage/e/forum-2017/").status_code == 200


def test_the_copy_page_refuses_a_taken_address_with_a_field_error(app):
    world = build_world()
    client = _organiser_client(app, world)
    token = csrf_token(client, f"/manage/e/{world.slug}/copy")
    events = _count(Event)
    response = client.post(f"/manage/e/{world.slug}/copy", data={
        "csrf_token": token, "title-en": "Forum 2017", "slug": "other-forum", "starts_on": "2017-06-08",
    })
    assert response.status_code == 200
    assert 'id="slug-error"' in response.get_data(as_text=True)
    assert "already taken" in response.get_data(as_text=True)
    assert _count(Event) == events
    bad = client.post(f"/manage/e/{world.slug}/copy", data={
        "csrf_token": token, "title-en": "X", "slug": "Bad Slug!", "starts_on": "not a date",
    })
    assert bad.status_code == 200 and _count(Event) == events
