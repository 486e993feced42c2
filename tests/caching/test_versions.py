"""Which changes bump which event's data version (forumapp.caching.versions)."""

from forumapp.caching.versions import SITE, current_version, event_scope
from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.programme.models import ItemPerson
from forumapp.timeutil import utcnow
from tests.conftest import make_event, make_item


def version(scope: str) -> int:
    db.session.rollback()
    return current_version(scope).version


def test_an_item_edit_bumps_its_event_and_the_site_but_no_other_event():
    forum, other = make_event(), make_event(slug="other-forum")
    item = make_item(forum)
    before = {s: version(s) for s in (event_scope(forum.id), event_scope(other.id), SITE)}
    item.title = {"ru": "Новое название"}
    db.session.commit()
    assert version(event_scope(forum.id)) == before[event_scope(forum.id)] + 1
    assert version(event_scope(other.id)) == before[event_scope(other.id)]
    assert version(SITE) == before[SITE] + 1


def test_a_registration_is_not_public_data_and_bumps_nothing():
    from forumapp.registration.models import Registration

    forum = make_event()
    before = version(event_scope(forum.id)), version(SITE)
    db.session.add(Registration(event_id=forum.id, full_name="Әсел Нұрланқызы", email="asel@example.kz",
                                consent_at=utcnow()))
    db.session.commit()
    assert (version(event_scope(forum.id)), version(SITE)) == before


def test_deleting_a_person_bumps_every_event_they_appeared_in():
    """Their appearances go with them (ON DELETE CASCADE), so they are looked up before."""
    first, second, unrelated = make_event(), make_event(slug="second"), make_event(slug="unrelated")
    talk, panel = make_item(first), make_item(second)
    person = Person(name={"kk": "Гүлмира Уақытова"})
    db.session.add(person)
    db.session.add_all([ItemPerson(item=talk, person=person, role="speaker"),
                        ItemPerson(item=panel, person=person, role="moderator")])
    db.session.commit()
    before = {e.id: version(event_scope(e.id)) for e in (first, second, unrelated)}
    db.session.delete(db.session.get(Person, person.id))
    db.session.commit()
    assert version(event_scope(first.id)) == before[first.id] + 1
    assert version(event_scope(second.id)) == before[second.id] + 1
    assert version(event_scope(unrelated.id)) == before[unrelated.id]
