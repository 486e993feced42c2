"""The organiser's schedule grid: one column per hall, one row per time slot, each item spanning
the rows of its duration; items that overlap in one hall sit side by side in lanes and are
marked. Pure layout over a day's items (no request, no database), so tests call it directly.

The grid is an HTML table (rowspan for duration, colspan for a hall's lanes): it reads in order
without styles or scripts, and each empty slot is a link to a new item in that hall at that time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import gcd

from forumapp.programme.models import Hall, ProgrammeItem

DEFAULT_DAY = (time(9), time(18))  # an empty day still offers slots to click


@dataclass
class Cell:
    hall_id: int | None
    starts: time  # the slot's local start
    lane: int
    item: ProgrammeItem | None = None
    rowspan: int = 1
    overlaps: bool = False  # shares time with another (not cancelled) item of its hall


@dataclass
class Column:
    hall_id: int | None
    name: str
    lanes: int = 1


@dataclass
class Row:
    starts: time
    cells: list[Cell] = field(default_factory=list)


@dataclass
class DayGrid:
    day: date
    slot_minutes: int
    columns: list[Column]
    rows: list[Row]


def _minutes(moment: datetime, day: date) -> int:
    """Minutes since the day's midnight (an item running past midnight ends at 24:00)."""
    if moment.date() > day:
        return 24 * 60
    return moment.hour * 60 + moment.minute


def _slot_minutes(bounds: list[int]) -> int:
    """15 minutes, or finer (down to 5) when items start or end off the quarter hours."""
    step = 15
    for minute in bounds:
        step = gcd(step, minute % 15 or 15)
    return max(step, 5)


def day_grid(day: date, items: list[ProgrammeItem], halls: list[Hall], *, no_hall_label: str) -> DayGrid:
    """`items` are the day's items (any status) with local times through item.local_start/end."""
    spans = {item.id: (_minutes(item.local_start, day), _minutes(item.local_end, day)) for item in items}
    bounds = [m for pair in spans.values() for m in pair]
    slot = _slot_minutes(bounds)
    first = min([b for b, _ in spans.values()] + [DEFAULT_DAY[0].hour * 60]) // 60 * 60
    last = max([e for _, e in spans.values()] + [DEFAULT_DAY[1].hour * 60])
    last = min(-(-last // 60) * 60, 24 * 60)
    count = (last - first) // slot

    def slot_of(minute: int, *, up: bool) -> int:
        index = (minute - first + (slot - 1 if up else 0)) // slot
        return max(0, min(count, index))

    columns = [Column(hall.id, hall.display_name) for hall in halls]
    if any(item.hall_id is None for item in items):
        columns.append(Column(None, no_hall_label))
    # Lanes: the first lane free from the item's first slot on (interval partitioning by slots,
    # so two items never claim one cell even when their times are not on slot boundaries).
    placed: dict[int | None, list[tuple[int, int, int, ProgrammeItem]]] = {c.hall_id: [] for c in columns}
    for item in sorted(items, key=lambda i: (spans[i.id], i.id)):
        start_slot = slot_of(spans[item.id][0], up=False)
        end_slot = max(slot_of(spans[item.id][1], up=True), start_slot + 1)
        lanes_end: list[int] = []
        column = placed[item.hall_id]
        for _s, end, lane, _i in column:
            while len(lanes_end) <= lane:
                lanes_end.append(0)
            lanes_end[lane] = max(lanes_end[lane], end)
        lane = next((n for n, end in enumerate(lanes_end) if end <= start_slot), len(lanes_end))
        column.append((start_slot, end_slot, lane, item))
    for column in columns:
        column.lanes = max([lane + 1 for _s, _e, lane, _i in placed[column.hall_id]] + [1])

    overlapping: set[int] = set()
    for column in placed.values():
        active = [i for *_x, i in column if i.status != "cancelled"]
        for a in active:
            for b in active:
                if a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                    overlapping |= {a.id, b.id}

    starts = [time((first + n * slot) // 60, (first + n * slot) % 60) for n in range(count)]
    rows = [Row(starts[n]) for n in range(count)]
    for column in columns:
        covered: set[tuple[int, int]] = set()
        by_start = {(s, lane): (e, item) for s, e, lane, item in placed[column.hall_id]}
        for n in range(count):
            for lane in range(column.lanes):
                if (n, lane) in covered:
                    continue
                if (n, lane) in by_start:
                    end, item = by_start[(n, lane)]
                    span = max(1, min(end, count) - n)
                    covered |= {(m, lane) for m in range(n, n + span)}
                    rows[n].cells.append(Cell(column.hall_id, starts[n], lane, item, span, item.id in overlapping))
                else:
                    rows[n].cells.append(Cell(column.hall_id, starts[n], lane))
    return DayGrid(day, slot, columns, rows)


def end_for(start: time, minutes: int = 60) -> time:
    """A new item's suggested end: an hour after its start, within the day."""
    moment = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return moment.time() if moment.date() == date(2000, 1, 1) else time(23, 59)
