"""The people of an event's public programme: speakers, moderators, designers... each with
every part they take in published items. Only published items of a published event make a
person public here; someone who appears only in drafts has no page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
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


def _item_columns():
    return (
        ProgrammeItem.id, ProgrammeItem.kind, ProgrammeItem.title, ProgrammeItem.starts_at, ProgrammeItem.ends_at,
        Hall.name,
    )


def _designer_rows(event: Event, person_filter):
    """(person id, "designer", item columns...) for designers of collections in the event's
    published shows (the shows area keeps them on the collection, not on the item)."""
    from forumapp.shows.models import CollectionDesigner, CollectionShow, ShowSegment

    return db.session.execute(
        db.select(CollectionDesigner.person_id, sa.literal("designer"), *_item_columns())
        .join(ShowSegment, ShowSegment.collection_id == CollectionDesigner.collection_id)
        .join(CollectionShow, CollectionShow.id == ShowSegment.show_id)
        .join(ProgrammeItem, ProgrammeItem.id == CollectionShow.item_id)
        .outerjoin(Hall, Hall.id == ProgrammeItem.hall_id)
        .where(person_filter(CollectionDesigner.person_id), _published(event))
    ).all()


def person_parts(event: Event, person_id: int) -> list[Part]:
    """Every part the person takes in the event's published items, in programme order: their
    roles on items, and the shows in which a collection of theirs is on the catwalk."""
    lang, fallback = current_language(), event.fallback_order
    rows = db.session.execute(
        db.select(ItemPerson.person_id, ItemPerson.role, *_item_columns())
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .outerjoin(Hall, Hall.id == ProgrammeItem.hall_id)
        .where(ItemPerson.person_id == person_id, _published(event))
        .order_by(ItemPerson.position, ItemPerson.id)
    ).all()
    rows += _designer_rows(event, lambda column: column == person_id)
    parts, seen = [], set()
    for _person, role, item_id, kind, title, starts, ends, hall in sorted(rows, key=lambda r: (r[5], r[2])):
        if (role, item_id) in seen:
            continue
        seen.add((role, item_id))
        parts.append(Part(
            role=role, item_id=item_id, kind=kind, title=pick(title, lang, fallback),
            starts=event.local(starts), ends=event.local(ends),
            hall=pick(hall, lang, fallback) if hall else "",
        ))
    return parts


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
    roles_in_order = [
        (person_id, role)
        for person_id, role, *_rest in sorted(
            [
                *db.session.execute(
                    db.select(ItemPerson.person_id, ItemPerson.role, *_item_columns())
                    .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
                    .outerjoin(Hall, Hall.id == ProgrammeItem.hall_id)
                    .where(_published(event))
                    .order_by(ItemPerson.position)
                ),
                *_designer_rows(event, lambda column: column.isnot(None)),
            ],
            key=lambda r: r[5],
        )
    ]
    for person_id, role in roles_in_order:
        if role not in roles.setdefault(person_id, []):
            roles[person_id].append(role)
    for person_id, name, position, photo, organisation in db.session.execute(
        db.select(Person.id, Person.name, Person.position, Person.photo, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.id.in_(list(roles)))
    ):
        people[person_id] = (name, position, photo, organisation)
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
