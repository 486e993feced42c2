"""Running-order arithmetic and show lookups; nothing here knows about the request.

A segment's duration is its explicit duration, or looks × the show's seconds per look. Segment n
starts at the item's start plus the durations of the segments before it plus n changeovers.
Its designers are called backstage `call_minutes` before that. The running order overruns when
the last segment ends after the item's slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy.orm import selectinload

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.lookups import of_event_or_404
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.shows.models import Collection, CollectionDesigner, CollectionShow, ShowSegment


def segment_seconds(duration_seconds: int | None, looks: int, seconds_per_look: int) -> int:
    """An explicit duration wins; otherwise looks × seconds per look."""
    if duration_seconds:
        return duration_seconds
    return max(looks, 0) * seconds_per_look


@dataclass(frozen=True)
class Timing:
    """When one segment happens, in the event's time zone."""

    position: int  # 1, 2, 3 ...
    starts_at: datetime
    ends_at: datetime
    call_at: datetime
    seconds: int
    from_looks: bool  # the duration was computed from the number of looks
    overruns: bool  # ends after the item's slot


@dataclass(frozen=True)
class RunningOrderTimes:
    timings: list[Timing]
    ends_at: datetime  # when the last segment ends (the item's start when there is none)
    slot_ends_at: datetime
    overrun_seconds: int  # 0 when it fits

    @property
    def overruns(self) -> bool:
        return self.overrun_seconds > 0

    @property
    def spare_seconds(self) -> int:
        return max(int((self.slot_ends_at - self.ends_at).total_seconds()), 0)


def compute_times(
    starts_at: datetime,
    slot_ends_at: datetime,
    segments: list[tuple[int | None, int]],
    *,
    seconds_per_look: int,
    call_minutes: int,
    changeover_seconds: int = 0,
) -> RunningOrderTimes:
    """segments: (explicit duration in seconds or None, number of looks), in running order."""
    timings = []
    cursor = starts_at
    for index, (explicit, looks) in enumerate(segments):
        if index:
            cursor += timedelta(seconds=changeover_seconds)
        seconds = segment_seconds(explicit, looks, seconds_per_look)
        ends = cursor + timedelta(seconds=seconds)
        timings.append(
            Timing(
                position=index + 1,
                starts_at=cursor,
                ends_at=ends,
                call_at=cursor - timedelta(minutes=call_minutes),
                seconds=seconds,
                from_looks=not explicit,
                overruns=ends > slot_ends_at,
            )
        )
        cursor = ends
    overrun = max(int((cursor - slot_ends_at).total_seconds()), 0)
    return RunningOrderTimes(timings, cursor, slot_ends_at, overrun)


@dataclass(frozen=True)
class RunningOrderEntry:
    segment: ShowSegment
    timing: Timing

    @property
    def collection(self) -> Collection:
        return self.segment.collection


@dataclass(frozen=True)
class RunningOrder:
    item: ProgrammeItem
    show: CollectionShow
    entries: list[RunningOrderEntry]
    times: RunningOrderTimes


def running_order(show: CollectionShow) -> RunningOrder:
    """The show's segments with their times in the event's zone."""
    item = show.item
    segments = list(show.segments)
    times = compute_times(
        item.local_start,
        item.local_end,
        [(s.duration_seconds, s.collection.looks) for s in segments],
        seconds_per_look=show.seconds_per_look,
        call_minutes=show.call_minutes,
        changeover_seconds=show.changeover_seconds,
    )
    return RunningOrder(item, show, [RunningOrderEntry(s, t) for s, t in zip(segments, times.timings, strict=True)], times)


def format_duration(seconds: int) -> str:
    """12:30 for twelve and a half minutes; 1:02:00 past the hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# ---- changing the running order ----------------------------------------------------------


def renumber(show: CollectionShow) -> None:
    for position, segment in enumerate(sorted(show.segments, key=lambda s: (s.position, s.id or 0))):
        segment.position = position


def set_order(show: CollectionShow, segment_ids: list[int]) -> bool:
    """Put the segments in the given order (drag and drop sends every id once)."""
    by_id = {s.id: s for s in show.segments}
    if sorted(segment_ids) != sorted(by_id):
        return False
    for position, segment_id in enumerate(segment_ids):
        by_id[segment_id].position = position
    return True


# ---- lookups ------------------------------------------------------------------------------


def show_for_item(item: ProgrammeItem, *, create: bool = False) -> CollectionShow | None:
    show = db.session.scalar(
        db.select(CollectionShow)
        .filter_by(item_id=item.id)
        .options(
            selectinload(CollectionShow.segments)
            .selectinload(ShowSegment.collection)
            .selectinload(Collection.designer_links)
            .selectinload(CollectionDesigner.person)
        )
    )
    if show is None and create:
        show = CollectionShow(item=item, call_minutes=30, seconds_per_look=40, changeover_seconds=0)
        db.session.add(show)
        db.session.flush()
    return show


def show_items(event: Event, *, published_only: bool = False) -> list[ProgrammeItem]:
    query = db.select(ProgrammeItem).filter_by(event_id=event.id, kind="collection_show")
    if published_only:
        query = query.filter_by(status="published")
    return list(db.session.scalars(query.order_by(ProgrammeItem.starts_at, ProgrammeItem.id)))


def event_collections(event: Event) -> list[Collection]:
    return sorted(
        db.session.scalars(
            db.select(Collection)
            .filter_by(event_id=event.id)
            .options(selectinload(Collection.designer_links).selectinload(CollectionDesigner.person))
        ),
        key=lambda c: (c.brand.display_name.casefold(), c.display_title.casefold()),
    )


def collection_of_event_or_404(event: Event, collection_id: int) -> Collection:
    return of_event_or_404(Collection, collection_id, event)


def show_item_of_event_or_404(event: Event, item_id: int, *, published_only: bool = False) -> ProgrammeItem:
    item = of_event_or_404(ProgrammeItem, item_id, event, kind="collection_show")
    if published_only and item.status != "published":
        abort(404)
    return item


def collections_of_brand(organisation: Organisation, *, public_only: bool = True) -> list[Collection]:
    query = db.select(Collection).filter_by(brand_id=organisation.id).join(Event, Event.id == Collection.event_id)
    if public_only:
        query = query.where(Event.status.in_(("published", "archived")))
    return list(db.session.scalars(query.order_by(Event.starts_on.desc(), Collection.id)))


def collections_of_designer(person_id: int, *, public_only: bool = True) -> list[Collection]:
    query = (
        db.select(Collection)
        .join(CollectionDesigner, CollectionDesigner.collection_id == Collection.id)
        .join(Event, Event.id == Collection.event_id)
        .where(CollectionDesigner.person_id == person_id)
    )
    if public_only:
        query = query.where(Event.status.in_(("published", "archived")))
    return list(db.session.scalars(query.order_by(Event.starts_on.desc(), Collection.id)))
