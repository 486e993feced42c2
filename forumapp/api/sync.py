"""`updated_at` of a parent row follows changes of the rows the API shows inside it: a speaker
added to an item, a designer or a lookbook image of a collection, a nomination or laureate of a
ceremony. Without this, an integrator syncing with `updated_since` would never see those
changes. One UPDATE per parent table per flush, outside the ORM (it must not count as an edit
of the parent: no calendar SEQUENCE bump, no second data-version bump)."""

from __future__ import annotations

from flask_sqlalchemy.session import Session
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select

from forumapp.awards.models import Ceremony, Laureate, Nomination
from forumapp.programme.models import ItemPerson, ProgrammeItem
from forumapp.shows.models import Collection, CollectionDesigner, CollectionImage
from forumapp.timeutil import utcnow

# child class -> (parent table, the child's column naming the parent)
PARENTS = {
    ItemPerson: (ProgrammeItem.__table__, "item_id"),
    CollectionDesigner: (Collection.__table__, "collection_id"),
    CollectionImage: (Collection.__table__, "collection_id"),
    Nomination: (Ceremony.__table__, "ceremony_id"),
}


def _values(obj, column: str) -> set:
    """The parent now and, if it was moved, before."""
    found = {getattr(obj, column, None)}
    attribute = inspect(obj).attrs[column]
    found.update(attribute.history.deleted or ())
    return {value for value in found if value is not None}


@sa_event.listens_for(Session, "after_flush")
def _touch_parents(session, _flush_context):
    touched: dict = {}
    laureate_nominations: set = set()
    changed = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *changed, *session.deleted):
        if type(obj) in PARENTS:
            table, column = PARENTS[type(obj)]
            touched.setdefault(table, set()).update(_values(obj, column))
        elif isinstance(obj, Laureate):
            laureate_nominations.update(_values(obj, "nomination_id"))
    if not touched and not laureate_nominations:
        return
    connection = session.connection()
    if laureate_nominations:
        ceremonies = connection.execute(
            select(Nomination.ceremony_id).where(Nomination.id.in_(laureate_nominations))).scalars()
        touched.setdefault(Ceremony.__table__, set()).update(ceremonies)
    now = utcnow()
    for table, ids in touched.items():
        if ids:
            connection.execute(table.update().where(table.c.id.in_(sorted(ids))).values(updated_at=now))
