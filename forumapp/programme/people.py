"""The people of an event's public programme: speakers, moderators, designers... each with
every part they take in published items. Only published items of a published event make a
person public here; someone who appears only in drafts has no page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.i18n import current_language, pick
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem


@dataclass(frozen=True, slots=True)
class Part:
    """One appearance: the person's role in one published item."""

    role: str
    item_id: int
    kind: str
    title: str
    starts: datetime  # aware, in the event's zone
    ends: datetime
    hall: str


def _published(event: Event):
    return (ProgrammeItem.event_id == event.id) & (ProgrammeItem.status == "published")


def person_parts(event: Event, person_id: int) -> list[Part]:
    """Every part the person takes in the event's published items, in programme order."""
    lang, fallback = current_language(), event.fallback_order
    rows = db.session.execute(
        db.select(
            ItemPerson.role, ProgrammeItem.id, ProgrammeItem.kind, ProgrammeItem.title,
            ProgrammeItem.starts_at, ProgrammeItem.ends_at, Hall.name,
        )
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .outerjoin(Hall, Hall.id == ProgrammeItem.hall_id)
        .where(ItemPerson.person_id == person_id, _published(event))
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.id, ItemPerson.position, ItemPerson.id)
    )
    return [
        Part(
            role=role, item_id=item_id, kind=kind, title=pick(title, lang, fallback),
            starts=event.local(starts), ends=event.local(ends),
            hall=pick(hall, lang, fallback) if hall else "",
        )
        for role, item_id, kind, title, starts, ends, hall in rows
    ]


def public_person_or_404(event: Event, person_id: int) -> tuple[Person, list[Part]]:
    """A person with at least one part in the event's published programme, else 404."""
    parts = person_parts(event, person_id)
    person = db.session.get(Person, person_id) if parts else None
    if person is None:
        abort(404)
    return person, parts


@dataclass(frozen=True, slots=True)
class PersonEntry:
    id: int
    name: str
    position: str
    organisation: str
    photo: str | None
    roles: tuple[str, ...]


def event_people(event: Event) -> list[PersonEntry]:
    """Everyone taking part in the event's published items, by name, with their roles."""
    from forumapp.directory.models import Organisation

    lang, fallback = current_language(), event.fallback_order
    roles: dict[int, list[str]] = {}
    people: dict[int, tuple] = {}
    for person_id, role, name, position, photo, organisation in db.session.execute(
        db.select(ItemPerson.person_id, ItemPerson.role, Person.name, Person.position, Person.photo, Organisation.name)
        .join(Person, Person.id == ItemPerson.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .where(_published(event))
        .order_by(ProgrammeItem.starts_at, ItemPerson.position)
    ):
        people.setdefault(person_id, (name, position, photo, organisation))
        if role not in roles.setdefault(person_id, []):
            roles[person_id].append(role)
    entries = [
        PersonEntry(
            id=person_id, name=pick(name, lang, fallback), position=pick(position, lang, fallback),
            organisation=pick(organisation, lang, fallback) if organisation else "", photo=photo,
            roles=tuple(roles[person_id]),
        )
        for person_id, (name, position, photo, organisation) in people.items()
    ]
    return sorted(entries, key=lambda entry: entry.name.casefold())


def latest_public_events(person_ids) -> dict[int, str]:
    """{person id: slug of the latest public event in whose published programme they take part},
    for linking directory pages to people pages (one query for all the people)."""
    ids = list(person_ids)
    if not ids:
        return {}
    found: dict[int, str] = {}
    for person_id, slug in db.session.execute(
        db.select(ItemPerson.person_id, Event.slug)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .join(Event, Event.id == ProgrammeItem.event_id)
        .where(
            ItemPerson.person_id.in_(ids),
            ProgrammeItem.status == "published",
            Event.status.in_(("published", "archived")),
        )
        .order_by(Event.starts_on.desc(), Event.id.desc())
    ):
        found.setdefault(person_id, slug)
    return found
