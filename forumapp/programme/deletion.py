"""What deleting an item, hall, track or event would take with it, and when it is refused.

An organiser is told the consequences before confirming ("3 people lose their part in this
item"), and deletion is refused where it would lose what must be kept: participants' signups and
registrations, issued certificates, and an item subscribers' calendars have already shown
(cancelling keeps it, marked as cancelled, in the feeds). Each check is one function that reads
counts; `delete` re-checks inside the transaction that deletes, so nothing is half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_
from sqlalchemy.exc import SQLAlchemyError

from forumapp.accounts.models import EventRole
from forumapp.awards.models import Ceremony, Certificate, Laureate, Nomination
from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem, Track
from forumapp.registration.models import ItemSignup, Registration
from forumapp.shows.models import CollectionShow


class DeletionRefused(Exception):
    """The record must be kept; the message says why and what to do instead."""


@dataclass
class DeletionCheck:
    consequences: list[str] = field(default_factory=list)  # what goes with the record
    refusals: list[str] = field(default_factory=list)  # why it must be kept, and what instead

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _item_certificates(item_ids: list[int]):
    """Certificates issued for these items: to laureates of their ceremonies or to their people."""
    laureates = (
        db.select(Laureate.id)
        .join(Nomination, Nomination.id == Laureate.nomination_id)
        .join(Ceremony, Ceremony.id == Nomination.ceremony_id)
        .where(Ceremony.item_id.in_(item_ids))
    )
    parts = db.select(ItemPerson.id).where(ItemPerson.item_id.in_(item_ids))
    sources = [f"item_person:{part_id}" for part_id in db.session.scalars(parts)]
    return db.select(func.count(Certificate.id)).where(
        or_(Certificate.laureate_id.in_(laureates), Certificate.source.in_(sources or [""]))
    )


def check_item(item: ProgrammeItem) -> DeletionCheck:
    check = DeletionCheck()
    signups = _count(
        db.select(func.count(ItemSignup.id)).where(ItemSignup.item_id == item.id, ItemSignup.status != "cancelled")
    )
    if signups:
        check.refusals.append(
            ngettext("%(num)d registration is signed up for this item.",
                     "%(num)d registrations are signed up for this item.", signups)
            + " " + _("Cancel the item instead: the signups are kept.")
        )
    certificates = _count(_item_certificates([item.id]))
    if certificates:
        check.refusals.append(
            ngettext("%(num)d certificate has been issued for this item.",
                     "%(num)d certificates have been issued for this item.", certificates)
            + " " + _("Cancel the item instead: certificates stay valid.")
        )
    if item.announced:
        check.refusals.append(
            _("This item has been public: calendars that subscribed to the programme show it. "
              "Cancel it instead, so they are told.")
        )
    people = len(item.people)
    if people:
        check.consequences.append(
            ngettext("%(num)d person loses their part in this item.",
                     "%(num)d people lose their part in this item.", people)
        )
    ceremony = db.session.scalar(db.select(Ceremony).filter_by(item_id=item.id))
    if ceremony is not None:
        nominations = len(ceremony.nominations)
        check.consequences.append(
            ngettext("The award ceremony goes, with %(num)d nomination and its laureates.",
                     "The award ceremony goes, with %(num)d nominations and their laureates.", nominations)
        )
    show = db.session.scalar(db.select(CollectionShow).filter_by(item_id=item.id))
    if show is not None:
        check.consequences.append(_("The show's running order goes with it."))
    return check


def _items_left(column, record_id: int, what: str) -> DeletionCheck:
    count = _count(db.select(func.count(ProgrammeItem.id)).where(column == record_id))
    check = DeletionCheck()
    if count:
        if what == "hall":
            message = ngettext("%(num)d item in this hall will have no hall.",
                               "%(num)d items in this hall will have no hall.", count)
        else:
            message = ngettext("%(num)d item of this track will have no track.",
                               "%(num)d items of this track will have no track.", count)
        check.consequences.append(message)
    return check


def check_hall(hall: Hall) -> DeletionCheck:
    return _items_left(ProgrammeItem.hall_id, hall.id, "hall")


def check_track(track: Track) -> DeletionCheck:
    return _items_left(ProgrammeItem.track_id, track.id, "track")


def check_event(event: Event) -> DeletionCheck:
    check = DeletionCheck()
    registrations = _count(db.select(func.count(Registration.id)).filter_by(event_id=event.id))
    if registrations:
        check.refusals.append(
            ngettext("%(num)d person has registered for this event.",
                     "%(num)d people have registered for this event.", registrations)
            + " " + _("Archive the event instead: registrations are kept.")
        )
    certificates = _count(db.select(func.count(Certificate.id)).filter_by(event_id=event.id))
    if certificates:
        check.refusals.append(
            ngettext("%(num)d certificate has been issued.", "%(num)d certificates have been issued.", certificates)
            + " " + _("Archive the event instead: certificates stay verifiable.")
        )
    items = _count(db.select(func.count(ProgrammeItem.id)).filter_by(event_id=event.id))
    if items:
        check.consequences.append(
            ngettext("%(num)d programme item goes with it.", "%(num)d programme items go with it.", items)
        )
    halls = len(event.halls) + len(event.tracks)
    if halls:
        check.consequences.append(
            ngettext("%(num)d hall or track goes with it.", "%(num)d halls and tracks go with it.", halls)
        )
    team = _count(db.select(func.count(EventRole.id)).filter_by(event_id=event.id))
    if team:
        check.consequences.append(
            ngettext("%(num)d team member loses access.", "%(num)d team members lose access.", team)
        )
    return check


# ---- deleting ---------------------------------------------------------------------------------
# Rows that hang off a deleted record are deleted through the session, not left to the
# database's ON DELETE CASCADE: SQLite (tests, small installs) does not enforce foreign keys,
# and the session's flush hooks (the public data version) see each deleted row.


def _delete_item_dependants(item_ids: list[int]) -> None:
    if not item_ids:
        return
    for model in (ItemSignup, Ceremony, CollectionShow):
        for row in db.session.scalars(db.select(model).where(model.item_id.in_(item_ids))):
            db.session.delete(row)


def _delete_event_dependants(event: Event) -> None:
    """Every row of every table that names the event (registration settings, categories,
    questions, collections, partners, designs, team roles, ...), found from the models so a new
    table with an event_id is not forgotten."""
    _delete_item_dependants([item.id for item in event.items])
    for mapper in db.Model.registry.mappers:
        column = mapper.local_table.c.get("event_id")
        # Halls, tracks and items go through the event's own cascade.
        if mapper.class_ in (Event, Hall, Track, ProgrammeItem) or column is None:
            continue
        if any(fk.column.table.name == "event" for fk in column.foreign_keys):
            for row in db.session.scalars(db.select(mapper.class_).where(column == event.id)):
                db.session.delete(row)


CHECKS = {ProgrammeItem: check_item, Hall: check_hall, Track: check_track, Event: check_event}


def delete(record, check=None, before=None) -> None:
    """Delete `record` and commit, or raise DeletionRefused (nothing changed). The check is
    made again here, in the transaction that deletes; `before(record)` removes dependants."""
    check = (check or CHECKS[type(record)])(record)
    if not check.allowed:
        db.session.rollback()
        raise DeletionRefused(" ".join(check.refusals))
    try:
        # One flush at the commit: the flush hooks then see the record and its dependants
        # deleted together (the event log of a deleted event goes with it, instead of gaining
        # an entry for each dependant that a query's autoflush sent ahead).
        with db.session.no_autoflush:
            if before is not None:
                before(record)
            elif isinstance(record, ProgrammeItem):
                _delete_item_dependants([record.id])
            elif isinstance(record, Event):
                _delete_event_dependants(record)
            elif isinstance(record, Hall | Track):
                column = ProgrammeItem.hall_id if isinstance(record, Hall) else ProgrammeItem.track_id
                for item in db.session.scalars(db.select(ProgrammeItem).where(column == record.id)):
                    setattr(item, column.key, None)
            db.session.delete(record)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        raise
