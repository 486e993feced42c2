"""Next year's forum in one step: an event copied as a draft (Indico's and pretix's "clone").

What is copied is the edition's structure: settings, halls, tracks, the programme items (as
drafts, at the same local times on the same day of the event), their award ceremonies with
nominations (no laureates) and collection shows' backstage settings (no running order: the
collections are the edition's), registration settings, participant categories and questions,
partners and their tiers, certificate designs, and the organisers of the team.

Nothing about people who came is copied: no registrations, sign-ups, check-ins, laureates,
certificates, print jobs or speakers. Everything happens in one transaction: a failure leaves
no half copy.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from forumapp.accounts.models import ORGANISER, EventRole
from forumapp.audit.models import AuditAction
from forumapp.audit.recording import paused, record
from forumapp.awards.models import Ceremony, CertificateDesign
from forumapp.extensions import db
from forumapp.media.images import media_key, thumb_path
from forumapp.programme.models import Event, Hall, ProgrammeItem, Track
from forumapp.registration.models import ParticipantCategory, Question, RegistrationSettings
from forumapp.shows.models import CollectionShow
from forumapp.sponsors.models import Sponsor, SponsorTier
from forumapp.storage import get_storage
from forumapp.timeutil import to_local, to_utc


class SlugTaken(ValueError):
    """Another event already has the address asked for."""


@dataclass(frozen=True)
class CopyRequest:
    slug: str
    starts_on: date
    title: dict
    code: str


def same_weekday_next_year(day: date) -> date:
    """The day a year later that falls on the same weekday (a Thursday forum stays on a
    Thursday): the anniversary moved by at most three days."""
    try:
        anniversary = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + 1, day=28)
    shift = (day.weekday() - anniversary.weekday()) % 7
    if shift > 3:
        shift -= 7
    return anniversary + timedelta(days=shift)


def shift_local(moment: datetime | None, days: int, timezone: str) -> datetime | None:
    """A UTC time moved by whole days in the event's local time: 10:00 stays 10:00 even when
    the offset from UTC differs between the two dates (daylight saving)."""
    if moment is None:
        return None
    local = to_local(moment, timezone).replace(tzinfo=None)
    return to_utc(local + timedelta(days=days), timezone)


def _clone(obj, **values):
    """A new row of obj's model with its column values, but for the key and `values`."""
    model = type(obj)
    columns = {
        attr.key: getattr(obj, attr.key)
        for attr in sa.inspect(model).column_attrs
        if attr.key not in ("id", "created_at", "updated_at")
    }
    return model(**{**columns, **values})


class _ImageCopies:
    """Uploaded images the copy uses are stored again under new names: the original edition
    deletes its own file when its logo is replaced, which must not take the copy's with it."""

    def __init__(self):
        self.written: list[str] = []

    def copy(self, path: str | None) -> str | None:
        if not path:
            return path
        storage = get_storage()
        stem, dot, extension = path.rpartition(".")
        folder = stem.rsplit("/", 1)[0] if "/" in stem else "copies"
        new = f"{folder}/{secrets.token_hex(12)}{dot}{extension}"
        try:
            data = storage.read_bytes(media_key(path))
        except FileNotFoundError:
            return path  # missing already; the design check reports it as before
        content_type = "image/png" if extension.lower() == "png" else "image/jpeg"
        storage.save(media_key(new), data, content_type)
        self.written.append(new)
        old_thumb, new_thumb = thumb_path(path), thumb_path(new)
        if old_thumb and new_thumb:
            try:
                storage.save(media_key(new_thumb), storage.read_bytes(media_key(old_thumb)), content_type)
                self.written.append(new_thumb)
            except FileNotFoundError:
                pass
        return new

    def discard(self) -> None:
        storage = get_storage()
        for path in self.written:
            try:
                storage.delete(media_key(path))
            except Exception:  # the copy failed already; that error is the one to report
                pass


def copy_event(source: Event, wanted: CopyRequest, *, copier=None) -> Event:
    """The new draft edition, committed. Raises SlugTaken if the address is in use."""
    if db.session.scalar(sa.select(Event.id).filter_by(slug=wanted.slug)) is not None:
        raise SlugTaken(wanted.slug)
    days = (wanted.starts_on - source.starts_on).days
    images = _ImageCopies()
    try:
        with paused(db.session):
            event = _clone(source, slug=wanted.slug, status="draft", title=wanted.title or source.title,
                           code=wanted.code, starts_on=wanted.starts_on,
                           ends_on=source.ends_on + timedelta(days=days))
            db.session.add(event)
            db.session.flush()
            _copy_contents(source, event, days, images)
            _copy_team(source, event, copier)
            db.session.flush()
        record(db.session, event.id, AuditAction.COPIED, "event", event.id, source.display_title,
               [{"field": "copied_from", "old": None, "new": source.slug}])
        record(db.session, source.id, AuditAction.COPIED, "event", source.id, event.display_title,
               [{"field": "copied_to", "old": None, "new": event.slug}])
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        images.discard()
        if db.session.scalar(sa.select(Event.id).filter_by(slug=wanted.slug)) is not None:
            raise SlugTaken(wanted.slug) from error  # taken by someone else meanwhile
        raise
    except BaseException:
        db.session.rollback()
        images.discard()
        raise
    return event


def _rows(model, event_id: int):
    return db.session.scalars(sa.select(model).filter_by(event_id=event_id).order_by(model.id)).all()


def _copy_contents(source: Event, event: Event, days: int, images: _ImageCopies) -> None:
    tz = source.timezone
    halls = {h.id: _clone(h, event_id=event.id) for h in _rows(Hall, source.id)}
    tracks = {t.id: _clone(t, event_id=event.id) for t in _rows(Track, source.id)}
    designs = {
        d.id: _clone(d, event_id=event.id, logo=images.copy(d.logo), background=images.copy(d.background))
        for d in _rows(CertificateDesign, source.id)
    }
    db.session.add_all([*halls.values(), *tracks.values(), *designs.values()])
    db.session.flush()

    items = {}
    for item in _rows(ProgrammeItem, source.id):
        if item.status == "cancelled":
            continue  # last year's cancellations are not next year's plan
        items[item.id] = _clone(
            item, event_id=event.id, status="draft", announced=False, sequence=0,
            starts_at=shift_local(item.starts_at, days, tz), ends_at=shift_local(item.ends_at, days, tz),
            hall_id=halls[item.hall_id].id if item.hall_id in halls else None,
            track_id=tracks[item.track_id].id if item.track_id in tracks else None,
        )
    db.session.add_all(items.values())
    db.session.flush()

    old_items = list(items)
    for ceremony in db.session.scalars(sa.select(Ceremony).where(Ceremony.item_id.in_(old_items))):
        copy = _clone(ceremony, item_id=items[ceremony.item_id].id, results_published=False,
                      design_id=designs[ceremony.design_id].id if ceremony.design_id in designs else None)
        copy.nominations = [_clone(n, ceremony_id=None) for n in ceremony.nominations]  # no laureates
        db.session.add(copy)
    for show in db.session.scalars(sa.select(CollectionShow).where(CollectionShow.item_id.in_(old_items))):
        db.session.add(_clone(show, item_id=items[show.item_id].id))

    settings = db.session.scalar(sa.select(RegistrationSettings).filter_by(event_id=source.id))
    if settings is not None:
        db.session.add(_clone(settings, event_id=event.id, opens_at=shift_local(settings.opens_at, days, tz),
                              closes_at=shift_local(settings.closes_at, days, tz)))
    db.session.add_all(_clone(c, event_id=event.id) for c in _rows(ParticipantCategory, source.id))
    db.session.add_all(_clone(q, event_id=event.id) for q in _rows(Question, source.id))

    tiers = {t.id: _clone(t, event_id=event.id) for t in _rows(SponsorTier, source.id)}
    db.session.add_all(tiers.values())
    db.session.flush()
    db.session.add_all(
        _clone(s, event_id=event.id, tier_id=tiers[s.tier_id].id, logo=images.copy(s.logo))
        for s in _rows(Sponsor, source.id)
    )


def _copy_team(source: Event, event: Event, copier) -> None:
    """The organisers stay organisers of the new edition (check-in staff are named anew each
    year); whoever made the copy organises it even if the team did not name them."""
    organisers = set(db.session.scalars(sa.select(EventRole.user_id).filter_by(event_id=source.id, role=ORGANISER)))
    if copier is not None and not copier.is_admin:
        organisers.add(copier.id)
    db.session.add_all(EventRole(user_id=user_id, event_id=event.id, role=ORGANISER) for user_id in sorted(organisers))

