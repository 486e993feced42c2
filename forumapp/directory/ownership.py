"""Who may write which directory record.

People and organisations are shared by every event: the same designer walks in two shows, the
same consortium sponsors three forums, and a rename shows at once in every programme, lookbook,
partner list and certificate that names them. So a record belongs to the events that use it:

- a site administrator may create and edit every record;
- an organiser (of any event) may create records, and edit a record that is used by no event or
  only by events they organise; a record also used by an event they do not organise is
  read-only for them (a site administrator edits it);
- nobody else writes: check-in staff, and users without an organiser role, do not reach the
  directory's management pages at all.

An organisation is "used" by an event when the event names it (a collection's brand, a partner,
a laureate) or names one of its people (a person's organisation is printed beside their name in
programmes and on certificates).

The functions take the user as an argument and know nothing of the request; views turn
`NotAllowed` into 403.
"""

from __future__ import annotations

from collections import defaultdict

from forumapp.accounts.models import ORGANISER, EventRole
from forumapp.awards.models import Ceremony, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import ItemPerson, ProgrammeItem
from forumapp.shows.models import Collection, CollectionDesigner
from forumapp.sponsors.models import Sponsor


class NotAllowed(Exception):
    """The user may not make this change to the directory."""


# ---- which events use a record ---------------------------------------------------------------


def _laureate_events():
    return (
        db.select(ProgrammeItem.event_id, Laureate)
        .join(Nomination, Nomination.id == Laureate.nomination_id)
        .join(Ceremony, Ceremony.id == Nomination.ceremony_id)
        .join(ProgrammeItem, ProgrammeItem.id == Ceremony.item_id)
    )


def person_events(person_ids=None) -> dict[int, set[int]]:
    """{person id: ids of the events that name the person}; all people when `person_ids` is None."""
    uses: dict[int, set[int]] = defaultdict(set)
    queries = [
        db.select(ItemPerson.person_id, ProgrammeItem.event_id).join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id),
        db.select(CollectionDesigner.person_id, Collection.event_id).join(
            Collection, Collection.id == CollectionDesigner.collection_id
        ),
    ]
    laureates = _laureate_events().with_only_columns(Laureate.person_id, ProgrammeItem.event_id)
    presenters = _laureate_events().with_only_columns(Laureate.presenter_id, ProgrammeItem.event_id)
    for query in [*queries, laureates, presenters]:
        column = query.selected_columns[0]
        if person_ids is not None:
            query = query.where(column.in_(list(person_ids)))
        for person_id, event_id in db.session.execute(query.where(column.is_not(None))):
            uses[person_id].add(event_id)
    return uses


def organisation_events(organisation_ids=None) -> dict[int, set[int]]:
    """{organisation id: ids of the events that name it or one of its people}."""
    uses: dict[int, set[int]] = defaultdict(set)
    queries = [
        db.select(Collection.brand_id, Collection.event_id),
        db.select(Sponsor.organisation_id, Sponsor.event_id),
        _laureate_events().with_only_columns(Laureate.organisation_id, ProgrammeItem.event_id),
    ]
    for query in queries:
        column = query.selected_columns[0]
        if organisation_ids is not None:
            query = query.where(column.in_(list(organisation_ids)))
        for organisation_id, event_id in db.session.execute(query.where(column.is_not(None))):
            uses[organisation_id].add(event_id)
    people = db.select(Person.id, Person.organisation_id).where(Person.organisation_id.is_not(None))
    if organisation_ids is not None:
        people = people.where(Person.organisation_id.in_(list(organisation_ids)))
    members = dict(db.session.execute(people).all())
    for person_id, event_ids in person_events(members.keys()).items():
        uses[members[person_id]] |= event_ids
    return uses


def events_using(record: Person | Organisation) -> set[int]:
    if record.id is None:
        return set()
    if isinstance(record, Person):
        return person_events([record.id]).get(record.id, set())
    return organisation_events([record.id]).get(record.id, set())


# ---- who may do what -------------------------------------------------------------------------


def organised_event_ids(user) -> set[int]:
    return set(
        db.session.scalars(db.select(EventRole.event_id).filter_by(user_id=user.id, role=ORGANISER))
    )


def may_keep_directory(user) -> bool:
    """May see the directory's management pages and add records: admins and organisers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin or organised_event_ids(user))


def may_edit(user, used_by: set[int], organised: set[int] | None = None) -> bool:
    """May change a record used by the events `used_by`."""
    if not may_keep_directory(user):
        return False
    if user.is_admin:
        return True
    return used_by <= (organised if organised is not None else organised_event_ids(user))


def check_may_create(user) -> None:
    if not may_keep_directory(user):
        raise NotAllowed("create")


def check_may_edit(user, record: Person | Organisation) -> None:
    """Raise NotAllowed unless `user` may change `record` (a new record: may create one)."""
    if record.id is None:
        check_may_create(user)
    elif not may_edit(user, events_using(record)):
        raise NotAllowed("edit")


def editable_ids(user, uses: dict[int, set[int]], ids) -> set[int]:
    """The ids among `ids` whose records `user` may edit, for lists (one query per kind of use)."""
    if not may_keep_directory(user):
        return set()
    if user.is_admin:
        return set(ids)
    organised = organised_event_ids(user)
    return {i for i in ids if uses.get(i, set()) <= organised}
