"""What the API shows without a token: exactly what the public pages show. Events that are
published or archived (never drafts); their published items (and items cancelled after they
were published, marked cancelled, as the calendar feeds carry them); people who take part in
published items; the directory's organisations; partners and collections of public events;
award results the organisers published, of published ceremonies.

Each list function returns (rows, total) for one page, ordered by id, so paging is stable
while an integrator walks it; `since` keeps rows changed at or after that instant."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import selectinload

from forumapp.api.http import Page
from forumapp.awards.models import Ceremony, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem, Track
from forumapp.shows.models import Collection, CollectionDesigner
from forumapp.sponsors.models import Sponsor, SponsorTier

PUBLIC_EVENT_STATUSES = ("published", "archived")


def _page_of(query, model, page: Page, since: datetime | None, *, ordering=None):
    if since is not None:
        query = query.where(model.updated_at >= since)
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.order_by(*(ordering or (model.id,))).offset(page.offset).limit(page.size))
    return list(rows.unique()), total


def events(page: Page, since: datetime | None):
    query = db.select(Event).where(Event.status.in_(PUBLIC_EVENT_STATUSES))
    return _page_of(query, Event, page, since)


def event_or_404(slug: str) -> Event:
    if len(slug) > 80:
        abort(404)
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None or event.status not in PUBLIC_EVENT_STATUSES:
        abort(404)
    return event


def _item_is_public():
    return or_(ProgrammeItem.status == "published",
               and_(ProgrammeItem.status == "cancelled", ProgrammeItem.announced.is_(True)))


def _items_query(event: Event):
    return (
        db.select(ProgrammeItem)
        .where(ProgrammeItem.event_id == event.id, _item_is_public())
        .options(
            selectinload(ProgrammeItem.hall), selectinload(ProgrammeItem.track),
            selectinload(ProgrammeItem.people).selectinload(ItemPerson.person),
        )
    )


def items(event: Event, page: Page, since: datetime | None, *, kind=None, hall_id=None, track_id=None):
    query = _items_query(event)
    if kind is not None:
        query = query.where(ProgrammeItem.kind == kind)
    if hall_id is not None:
        query = query.where(ProgrammeItem.hall_id == hall_id)
    if track_id is not None:
        query = query.where(ProgrammeItem.track_id == track_id)
    return _page_of(query, ProgrammeItem, page, since, ordering=(ProgrammeItem.starts_at, ProgrammeItem.id))


def item_or_404(event: Event, item_id: int) -> ProgrammeItem:
    item = db.session.scalar(_items_query(event).where(ProgrammeItem.id == item_id))
    return item or abort(404)


def halls(event: Event, page: Page, since: datetime | None):
    return _page_of(db.select(Hall).filter_by(event_id=event.id), Hall, page, since)


def tracks(event: Event, page: Page, since: datetime | None):
    return _page_of(db.select(Track).filter_by(event_id=event.id), Track, page, since)


def _published_parts(event: Event):
    return (
        db.select(ItemPerson.person_id, ItemPerson.item_id, ItemPerson.role)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .where(ProgrammeItem.event_id == event.id, ProgrammeItem.status == "published")
    )


def people(event: Event, page: Page, since: datetime | None):
    """People who take part in the event's published items, each with their parts."""
    appearing = _published_parts(event).with_only_columns(ItemPerson.person_id).scalar_subquery()
    query = db.select(Person).where(Person.id.in_(appearing)).options(selectinload(Person.organisation))
    rows, total = _page_of(query, Person, page, since)
    parts = _parts_of(event, [person.id for person in rows])
    return [(person, parts.get(person.id, [])) for person in rows], total


def _parts_of(event: Event, person_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each person's parts [(item id, role)] in the published programme, in one query."""
    found: dict[int, list[tuple[int, str]]] = {}
    if not person_ids:
        return found
    query = _published_parts(event).where(ItemPerson.person_id.in_(person_ids)).order_by(
        ItemPerson.item_id, ItemPerson.position, ItemPerson.id)
    for row in db.session.execute(query):
        found.setdefault(row.person_id, []).append((row.item_id, row.role))
    return found


def parts_of(event: Event, person_id: int) -> list[tuple[int, str]]:
    return _parts_of(event, [person_id]).get(person_id, [])


def person_or_404(event: Event, person_id: int) -> tuple[Person, list]:
    parts = parts_of(event, person_id)
    if not parts:
        abort(404)  # not (or no longer) in this event's public programme
    return db.session.get(Person, person_id), parts


def organisations(page: Page, since: datetime | None):
    return _page_of(db.select(Organisation), Organisation, page, since)


def organisation_or_404(organisation_id: int) -> Organisation:
    return db.session.get(Organisation, organisation_id) or abort(404)


def partners(event: Event, page: Page, since: datetime | None):
    query = (
        db.select(Sponsor).join(SponsorTier, SponsorTier.id == Sponsor.tier_id).where(Sponsor.event_id == event.id)
        .options(selectinload(Sponsor.organisation), selectinload(Sponsor.tier))
    )
    return _page_of(query, Sponsor, page, since, ordering=(SponsorTier.position, SponsorTier.id, Sponsor.position,
                                                           Sponsor.id))


def _collections_query(event: Event):
    return db.select(Collection).where(Collection.event_id == event.id).options(
        selectinload(Collection.brand), selectinload(Collection.images),
        selectinload(Collection.designer_links).selectinload(CollectionDesigner.person),
    )


def collections(event: Event, page: Page, since: datetime | None):
    return _page_of(_collections_query(event), Collection, page, since)


def collection_or_404(event: Event, collection_id: int) -> Collection:
    return db.session.scalar(_collections_query(event).where(Collection.id == collection_id)) or abort(404)


def _ceremonies_query(event: Event):
    laureates = selectinload(Ceremony.nominations).selectinload(Nomination.laureates)
    return (
        db.select(Ceremony)
        .join(ProgrammeItem, ProgrammeItem.id == Ceremony.item_id)
        .where(ProgrammeItem.event_id == event.id, ProgrammeItem.status == "published",
               Ceremony.results_published.is_(True))
        .options(selectinload(Ceremony.item), laureates.selectinload(Laureate.person),
                 laureates.selectinload(Laureate.organisation), laureates.selectinload(Laureate.presenter))
    )


def award_results(event: Event, page: Page, since: datetime | None):
    return _page_of(_ceremonies_query(event), Ceremony, page, since,
                    ordering=(ProgrammeItem.starts_at, Ceremony.id))


def award_result_or_404(event: Event, item_id: int) -> Ceremony:
    return db.session.scalar(_ceremonies_query(event).where(Ceremony.item_id == item_id)) or abort(404)
