"""The public programme page's query (view, day, filters, search, starred items) and its grid.

Every argument is checked here once, both for the page cache's key (`CACHE_ARGS`: the
normalised value, ValueError for a bad one) and for the view (`ProgrammeQuery.from_args`, which
raises ValueError too: the view answers 400). Empty values count as absent, because the filter
form submits every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext

from forumapp.i18n import current_language, pick
from forumapp.programme.labels import ITEM_KIND_LABELS
from forumapp.programme.listing import ProgrammeLine, programme_lines, safe_colour
from forumapp.programme.models import ITEM_KINDS, Event
from forumapp.programme.search import MAX_QUERY, matching_ids

VIEWS = ("list", "grid")
MAX_STARRED = 200  # ids in ?items= (a whole programme fits; the URL stays under ~1.5 kB)
SLOT = 5  # minutes per grid row


def normal_view(value: str) -> str:
    if value not in ("", *VIEWS):
        raise ValueError(value)
    return value


def normal_kind(value: str) -> str:
    if value and value not in ITEM_KINDS:
        raise ValueError(value)
    return value


def normal_id(value: str) -> str:
    if not value:
        return ""
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ValueError(value)
    return str(int(value))


def normal_day(value: str) -> str:
    return date.fromisoformat(value).isoformat() if value else ""


def normal_query(value: str) -> str:
    if len(value) > MAX_QUERY or not value.isprintable():
        raise ValueError(value)
    return " ".join(value.split())


def normal_ids(value: str) -> str:
    """"3,7,9": item ids, at most MAX_STARRED; kept sorted and unique."""
    if not value:
        return ""
    if len(value) > MAX_STARRED * 10:
        raise ValueError(value)
    ids = {int(normal_id(part)) for part in value.split(",") if part}
    if len(ids) > MAX_STARRED:
        raise ValueError(value)
    return ",".join(str(i) for i in sorted(ids))


CACHE_ARGS = {
    "view": normal_view, "kind": normal_kind, "track": normal_id, "hall": normal_id, "day": normal_day,
    "q": normal_query, "items": normal_ids,
}


@dataclass
class ProgrammeQuery:
    view: str = "list"
    kind: str | None = None
    track: int | None = None
    hall: int | None = None
    day: date | None = None
    q: str = ""
    items: frozenset[int] | None = None  # "my programme": only these

    @classmethod
    def from_args(cls, args) -> ProgrammeQuery:
        """Raises ValueError for a value the page does not accept (or given twice)."""
        values = {}
        for name, normalise in CACHE_ARGS.items():
            given = args.getlist(name)
            if len(given) > 1:
                raise ValueError(name)
            values[name] = normalise(given[0]) if given else ""
        return cls(
            view=values["view"] or "list",
            kind=values["kind"] or None,
            track=int(values["track"]) if values["track"] else None,
            hall=int(values["hall"]) if values["hall"] else None,
            day=date.fromisoformat(values["day"]) if values["day"] else None,
            q=values["q"],
            items=frozenset(int(i) for i in values["items"].split(",")) if values["items"] else None,
        )

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.track or self.hall or self.q or self.items is not None)

    @property
    def filter_count(self) -> int:
        return sum(bool(v) for v in (self.kind, self.track, self.hall, self.q))

    def args(self, **changes) -> dict:
        """The query as URL arguments (defaults left out), with some changed."""
        current = {
            "view": self.view if self.view != "list" else None,
            "day": self.day.isoformat() if self.day else None,
            "kind": self.kind, "track": self.track, "hall": self.hall, "q": self.q or None,
            "items": ",".join(str(i) for i in sorted(self.items)) if self.items is not None else None,
        }
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "")}

    def keeps(self, line: ProgrammeLine, found: set[int] | None) -> bool:
        return (
            (self.kind is None or line.kind == self.kind)
            and (self.track is None or line.track_id == self.track)
            and (self.hall is None or line.hall_id == self.hall)
            and (self.items is None or line.id in self.items)
            and (found is None or line.id in found)
        )


@dataclass
class GridColumn:
    hall: str
    first: int  # first grid column (1 is the time column)
    lanes: int


@dataclass
class GridCell:
    line: ProgrammeLine
    row: int
    rows: int
    column: int


@dataclass
class DayGrid:
    """One day as a CSS grid: a column per hall (more than one lane when items in the hall
    overlap), a row per SLOT minutes; an item spans its duration."""

    columns: list[GridColumn]
    cells: list[GridCell]
    rows: int
    first_minute: int
    times: list[tuple[int, str]] = field(default_factory=list)  # (row, "09:00") every half hour

    @property
    def lane_count(self) -> int:
        return sum(c.lanes for c in self.columns)


def day_grid(lines: list[ProgrammeLine], hall_order: list[tuple[int | None, str]]) -> DayGrid:
    """hall_order: (hall id, name) in the event's order, (None, "No hall") last."""
    if not lines:
        return DayGrid(columns=[], cells=[], rows=0, first_minute=0)
    first = min(line.start_minute for line in lines) // 30 * 30
    last = -(-max(line.end_minute for line in lines) // 30) * 30
    by_hall: dict[int | None, list[ProgrammeLine]] = {}
    for line in lines:
        by_hall.setdefault(line.hall_id, []).append(line)
    columns, cells, next_column = [], [], 2
    for hall_id, name in hall_order:
        hall_lines = by_hall.get(hall_id)
        if not hall_lines:
            continue
        lane_ends: list[int] = []  # when each lane is free again
        placed = []
        for line in sorted(hall_lines, key=lambda ln: (ln.start_minute, -ln.end_minute)):
            lane = next((n for n, end in enumerate(lane_ends) if end <= line.start_minute), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(0)
            lane_ends[lane] = line.end_minute
            placed.append((line, lane))
        for line, lane in placed:
            row = (line.start_minute - first) // SLOT + 2  # row 1 holds the halls' names
            rows = max(1, -(-(line.end_minute - line.start_minute) // SLOT))
            cells.append(GridCell(line=line, row=row, rows=rows, column=next_column + lane))
        columns.append(GridColumn(hall=name, first=next_column, lanes=len(lane_ends)))
        next_column += len(lane_ends)
    cells.sort(key=lambda c: (c.row, c.column))  # reading order: by time, then hall
    times = [((m - first) // SLOT + 2, f"{m // 60 % 24:02d}:{m % 60:02d}") for m in range(first, last, 30)]
    return DayGrid(columns=columns, cells=cells, rows=(last - first) // SLOT, first_minute=first, times=times)


@dataclass
class ProgrammeDay:
    day: date
    lines: list[ProgrammeLine]
    grid: DayGrid | None  # only in the grid view


@dataclass
class ProgrammePage:
    days: list[ProgrammeDay]
    all_days: list[date]
    kinds: list[str]  # kinds the programme has, in the labels' order
    tracks: list[tuple[int, str, str | None]]  # (id, name, colour)
    halls: list[tuple[int, str]]
    shown: int
    total: int


def programme_page(event: Event, query: ProgrammeQuery) -> ProgrammePage:
    lang, fallback = current_language(), event.fallback_order
    lines = programme_lines(event)
    found = matching_ids(event, query.q) if query.q else None
    by_day: dict[date, list[ProgrammeLine]] = {day: [] for day in event.days}
    shown = 0
    for day, line in lines:
        if query.keeps(line, found):
            by_day.setdefault(day, []).append(line)
            shown += query.day is None or day == query.day
    halls = [(h.id, pick(h.name, lang, fallback)) for h in event.halls]
    hall_order = [*halls, (None, gettext("No hall"))]
    days = [
        ProgrammeDay(day=day, lines=day_lines, grid=day_grid(day_lines, hall_order) if query.view == "grid" else None)
        for day, day_lines in sorted(by_day.items())
        if query.day is None or day == query.day
    ]
    kinds_shown = {line.kind for _, line in lines}
    return ProgrammePage(
        days=days,
        all_days=sorted(by_day),
        kinds=[k for k in ITEM_KIND_LABELS if k in kinds_shown],
        tracks=[(t.id, pick(t.name, lang, fallback), safe_colour(t.color)) for t in event.tracks],
        halls=halls,
        shown=shown,
        total=len(lines),
    )
