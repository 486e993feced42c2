"""Programme rules that know nothing of the request: lookups, validation, warnings."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import abort
from flask_babel import gettext
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.lookups import of_event_or_404
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.timeutil import to_utc


def public_event_or_404(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None or not event.is_public:
        abort(404)
    return event


def event_or_404(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None:
        abort(404)
    return event


def published_items(event: Event, *, with_organisations: bool = True) -> list[ProgrammeItem]:
    """The published items (the programme page, which names no organisation, skips loading
    them)."""
    return event_items(event, only_published=True, with_organisations=with_organisations)


def highlights(event: Event, count: int) -> list[ProgrammeItem]:
    """The first `count` published items that are not breaks: what the event's home shows, read
    without the rest of the programme."""
    return _with_event(
        event,
        db.session.scalars(
            db.select(ProgrammeItem)
            .filter_by(event_id=event.id, status="published")
            .where(ProgrammeItem.kind != "break")
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.hall_id, ProgrammeItem.id)
            .limit(count)
        ),
    )


def published_item_or_404(event: Event, item_id: int) -> ProgrammeItem:
    """One published item with its hall, track and people, read without the rest."""
    item = db.session.scalar(
        db.select(ProgrammeItem)
        .filter_by(id=item_id, event_id=event.id, status="published")
        .options(
            selectinload(ProgrammeItem.people).selectinload(ItemPerson.person).selectinload(Person.organisation),
            joinedload(ProgrammeItem.hall),
            joinedload(ProgrammeItem.track),
        )
    )
    if item is None:
        abort(404)
    return item


def items_outside_dates(event: Event, first_day, last_day) -> list[ProgrammeItem]:
    """Items (of any status) whose day in the event's time zone is not within the given dates:
    an event cannot be shortened under them."""
    return [item for item in event_items(event) if not first_day <= item.local_start.date() <= last_day]


def feed_items(event: Event) -> list[ProgrammeItem]:
    """What the calendar and schedule feeds carry: the published items and those cancelled
    after they were published (marked as cancelled, so subscribers learn of it)."""
    return [item for item in event_items(event) if item.in_feeds]


def slug_taken(slug: str, *, except_event_id: int | None = None) -> bool:
    query = db.select(Event.id).filter_by(slug=slug)
    if except_event_id:
        query = query.where(Event.id != except_event_id)
    return db.session.scalar(query) is not None


def event_items(event: Event, *, only_published: bool = False, with_organisations: bool = True) -> list[ProgrammeItem]:
    """All items of an event with halls, tracks and people loaded in a few queries.
    with_organisations=False: for the programme page, which shows titles, times, places and
    names only; descriptions, biographies and organisations stay unread (each JSON column read
    is parsed, for every row)."""
    people = selectinload(ProgrammeItem.people).selectinload(ItemPerson.person)
    if with_organisations:
        options = [people.selectinload(Person.organisation)]
    else:
        options = [
            load_only(
                ProgrammeItem.id, ProgrammeItem.event_id, ProgrammeItem.kind, ProgrammeItem.title,
                ProgrammeItem.starts_at, ProgrammeItem.ends_at, ProgrammeItem.hall_id, ProgrammeItem.track_id,
                ProgrammeItem.status,
            ),
            people.load_only(Person.id, Person.name, Person.organisation_id),
        ]
    query = (
        db.select(ProgrammeItem)
        .filter_by(event_id=event.id)
        .options(*options, joinedload(ProgrammeItem.hall), joinedload(ProgrammeItem.track))
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.hall_id, ProgrammeItem.id)
    )
    if only_published:
        query = query.filter_by(status="published")
    return _with_event(event, db.session.scalars(query).unique())


def _with_event(event: Event, items) -> list[ProgrammeItem]:
    """Every title and time of an item reads item.event (fallback languages, time zone); the
    event is at hand, so each item is told it instead of looking it up (a lazy load per item,
    a tenth of the programme page's time)."""
    items = list(items)
    for item in items:
        set_committed_value(item, "event", event)
    return items


def set_item_times(item: ProgrammeItem, event: Event, day: date, start: time, end: time) -> None:
    """Times are entered in the event's local time and stored as UTC."""
    item.starts_at = to_utc(datetime.combine(day, start), event.timezone)
    item.ends_at = to_utc(datetime.combine(day, end), event.timezone)


def item_of_event_or_404(event: Event, item_id: int) -> ProgrammeItem:
    return of_event_or_404(ProgrammeItem, item_id, event)


def days_with_items(event: Event, items: list[ProgrammeItem]) -> list[tuple[date, list[ProgrammeItem]]]:
    """The items grouped by the local day they start on, in order."""
    grouped: dict[date, list[ProgrammeItem]] = {day: [] for day in event.days}
    for item in items:
        grouped.setdefault(event.local(item.starts_at).date(), []).append(item)
    return sorted(grouped.items())


def utc_offset_label(event: Event) -> str:
    """e.g. 'Asia/Almaty (UTC+05:00)': how pages say which zone times are in."""
    local_noon = event.local(datetime.combine(event.starts_on, time(12)))
    offset = local_noon.strftime("%z")
    return f"{event.timezone} (UTC{offset[:3]}:{offset[3:]})"


def parse_halls(text: str) -> list[tuple[str, int | None]]:
    """"Main hall, 300" lines -> [("Main hall", 300)]; ValueError with a message for a bad line."""
    halls = []
    for number, line in enumerate(text.splitlines(), start=1):
        name, _comma, capacity = line.strip().rpartition(",") if "," in line else (line.strip(), "", "")
        name, capacity = name.strip(), capacity.strip()
        if not name:
            continue
        if len(name) > 200 or len(halls) >= 50:
            raise ValueError(gettext("Line %(number)d: at most 50 halls of up to 200 characters.", number=number))
        if capacity and not (capacity.isdigit() and int(capacity) <= 1_000_000):
            raise ValueError(gettext("Line %(number)d: the capacity must be a whole number.", number=number))
        halls.append((name, int(capacity) if capacity else None))
    return halls


def find_or_add_organisation(name: str, locale: str) -> Organisation:
    """The directory's organisation of this name (in any language, ignoring case), or a new one."""
    wanted = name.strip().casefold()
    for organisation in db.session.scalars(db.select(Organisation)):
        if any(str(value).strip().casefold() == wanted for value in (organisation.name or {}).values()):
            return organisation
    organisation = Organisation(name={locale: name.strip()})
    db.session.add(organisation)
    return organisation


def add_new_person(item: ProgrammeItem, name: str, role: str, locale: str, organisation: str = "") -> Person:
    """A new directory person (their name in `locale`, their organisation found or added) with a
    part in `item`, in one commit."""
    person = Person(name={locale: name.strip()})
    if organisation.strip():
        person.organisation = find_or_add_organisation(organisation, locale)
    db.session.add(person)
    db.session.add(ItemPerson(item=item, person=person, role=role, position=len(item.people)))
    db.session.commit()
    return person
