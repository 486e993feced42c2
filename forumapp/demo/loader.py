"""`flask demo load`: create or refresh the demo forum. Safe to run again: everything is looked
up by a stable key (the event slug, English names) before it is created."""

from __future__ import annotations

import importlib
from datetime import date, datetime

from forumapp.demo import data
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem, Track
from forumapp.timeutil import to_utc

DEMO_DAY = date(2016, 6, 10)  # invented: the articles give only "on the eve of the holiday", 2016
AREA_LOADERS = ("registration", "awards", "shows", "sponsors", "releases", "matchmaking")


def _by_english_name(model, names: dict, **filters):
    for candidate in db.session.scalars(db.select(model).filter_by(**filters)):
        if (candidate.name or {}).get("en") == names["en"]:
            return candidate
    return None


def load_organisations() -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for key, names, kind, city, _parent in data.ORGANISATIONS:
        organisation = _by_english_name(Organisation, names) or Organisation(name=names)
        organisation.kind, organisation.city = kind, city
        db.session.add(organisation)
        found[key] = organisation
    for key, *_rest, parent in data.ORGANISATIONS:
        found[key].parent = found[parent] if parent else None
    return found


def load_people(organisations) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for key, names, position, organisation_key, invented in data.PEOPLE:
        person = _by_english_name(Person, names) or Person(name=names)
        person.position = position
        person.organisation = organisations[organisation_key]
        person.notes = "Invented for the demo." if invented else "Named in the source articles."
        db.session.add(person)
        found[key] = person
    return found


def load_event() -> Event:
    event = db.session.scalar(db.select(Event).filter_by(slug=data.EVENT["slug"]))
    if event is None:
        event = Event(slug=data.EVENT["slug"], starts_on=DEMO_DAY, ends_on=DEMO_DAY)
        db.session.add(event)
    for field, value in data.EVENT.items():
        setattr(event, field, value)
    event.starts_on = event.ends_on = DEMO_DAY
    event.status = "published"
    event.default_locale = "ru"
    event.locale_fallback = "kk,ru,en"
    return event


def load_programme(event: Event, people: dict[str, Person]) -> None:
    halls = {}
    for position, (key, names, capacity) in enumerate(data.HALLS):
        hall = next((h for h in event.halls if h.name.get("en") == names["en"]), None) or Hall(event=event)
        hall.name, hall.capacity, hall.position = names, capacity, position
        db.session.add(hall)
        halls[key] = hall
    tracks = {}
    for position, (key, names, colour) in enumerate(data.TRACKS):
        track = next((t for t in event.tracks if t.name.get("en") == names["en"]), None) or Track(event=event)
        track.name, track.color, track.position = names, colour, position
        db.session.add(track)
        tracks[key] = track
    db.session.flush()
    for _key, kind, track_key, hall_key, start, end, title, description, roles, extra in data.ITEMS:
        item = next((i for i in event.items if i.title.get("en") == title["en"]), None) or ProgrammeItem(event=event)
        db.session.add(item)
        item.kind, item.title, item.description, item.status = kind, title, description, "published"
        item.hall, item.track = halls[hall_key], tracks.get(track_key)
        item.starts_at = to_utc(datetime.combine(DEMO_DAY, datetime.strptime(start, "%H:%M").time()), event.timezone)
        item.ends_at = to_utc(datetime.combine(DEMO_DAY, datetime.strptime(end, "%H:%M").time()), event.timezone)
        for field, value in extra.items():
            setattr(item, field, value)
        wanted = [(people[person_key], role) for person_key, role in roles]
        current = [(p.person, p.role) for p in item.people]
        if current != wanted:
            item.people = [ItemPerson(person=person, role=role, position=n) for n, (person, role) in enumerate(wanted)]
        db.session.add(item)


def load_demo() -> Event:
    organisations = load_organisations()
    people = load_people(organisations)
    event = load_event()
    db.session.flush()
    load_programme(event, people)
    db.session.commit()
    for area in AREA_LOADERS:
        module_name = f"forumapp.{area}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.load(event)
        db.session.commit()
    return event
