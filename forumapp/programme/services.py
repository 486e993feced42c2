"""Programme rules that know nothing of the request: lookups, validation, warnings."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache

from flask import abort
from flask_babel import gettext
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forumapp.caching.versions import DataVersion, event_scope, remember, version_columns
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.lookups import of_event_or_404
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.timeutil import local_day_bounds, to_utc


@cache
def _event_with_version():
    """The statement of public_event_or_404, built once: every public request runs it, and
    building the expression again each time cost about a tenth of a cached page's time."""
    columns, versions, on = version_columns(Event.id)
    return db.select(Event, *columns).outerjoin(versions, on).where(Event.slug == bindparam("slug"))


def public_event_or_404(slug: str) -> Event:
    """The published event, read with its public data version (which the page cache asks for
    next, forumapp.caching.pages)."""
    row = db.session.execute(_event_with_version(), {"slug": slug}).first()
    if row is None or not row[0].is_public:
        abort(404)
    event, version, changed_at = row
    remember(event_scope(event.id),
             DataVersion(version, changed_at) if version is not None else DataVersion(0, event.created_at))
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
    """What the event's home shows: the published items the organisers marked as highlights,
    or, when they marked none, a choice that spans the days and kinds of the programme. Read
    without the rest of the programme (a few narrow queries, one per day at most)."""
    chosen = list(
        db.session.scalars(
            db.select(ProgrammeItem)
            .filter_by(event_id=event.id, status="published", highlight=True)
            .options(joinedload(ProgrammeItem.track))  # its colour is shown
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.hall_id, ProgrammeItem.id)
            .limit(count)
        )
    )
    if chosen:
        return _with_event(event, chosen)
    ids = _spread_over_days_and_kinds(event, count)
    items = db.session.scalars(
        db.select(ProgrammeItem).where(ProgrammeItem.id.in_(ids)).options(joinedload(ProgrammeItem.track))
    ) if ids else []
    return _with_event(event, sorted(items, key=lambda item: (item.starts_at, item.hall_id or 0, item.id)))


# The home page looks at this many days at most (a long exhibition need not cost a query a day).
_HIGHLIGHT_DAYS = 14


def _spread_over_days_and_kinds(event: Event, count: int) -> list[int]:
    """Ids of up to `count` items: each day's first item of each kind (breaks left out), taken
    a day at a time in turn, kinds not yet chosen first."""
    per_day: list[list[tuple[int, str]]] = []
    for day in event.days[:_HIGHLIGHT_DAYS]:
        start, end = local_day_bounds(day, event.timezone)
        first_of_kind = (
            db.select(
                ProgrammeItem.id, ProgrammeItem.kind, ProgrammeItem.starts_at,
                db.func.row_number()
                .over(partition_by=ProgrammeItem.kind, order_by=(ProgrammeItem.starts_at, ProgrammeItem.id))
                .label("n"),
            )
            .filter_by(event_id=event.id, status="published")
            .where(ProgrammeItem.kind != "break", ProgrammeItem.starts_at.between(start, end))
            .subquery()
        )
        rows = db.session.execute(
            db.select(first_of_kind.c.id, first_of_kind.c.kind)
            .where(first_of_kind.c.n == 1)
            .order_by(first_of_kind.c.starts_at, first_of_kind.c.id)
            .limit(count)
        ).all()
        if rows:
            per_day.append([tuple(row) for row in rows])
    chosen: list[int] = []
    kinds: set[str] = set()
    for new_kinds_only in (True, False):
        progress = True
        while progress and len(chosen) < count:
            progress = False
            for rows in per_day:
                pick_ = next(
                    (r for r in rows if r[0] not in chosen and (not new_kinds_only or r[1] not in kinds)), None
                )
                if pick_ is not None and len(chosen) < count:
                    chosen.append(pick_[0])
                    kinds.add(pick_[1])
                    progress = True
    return chosen


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
    return event_items(event, only_in_feeds=True)


def slug_taken(slug: str, *, except_event_id: int | None = None) -> bool:
    query = db.select(Event.id).filter_by(slug=slug)
    if except_event_id:
        query = query.where(Event.id != except_event_id)
    return db.session.scalar(query) is not None


def event_items(event: Event, *, only_published: bool = False, only_in_feeds: bool = False,
                with_organisations: bool = True) -> list[ProgrammeItem]:
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
    elif only_in_feeds:  # ProgrammeItem.in_feeds, in SQL: drafts are never read
        query = query.where(db.or_(ProgrammeItem.status == "published",
                                   db.and_(ProgrammeItem.status == "cancelled", ProgrammeItem.announced)))
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
    """e.g. 'Almaty time (UTC+05:00)': how pages and PDFs say which zone times are in."""
    from forumapp.programme.when import zone_label

    return zone_label(event.timezone, event.starts_on)


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
