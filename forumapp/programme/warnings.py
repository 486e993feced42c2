"""Conflict warnings for organisers: double-booked halls, people in two places, over-full halls.

Pure functions over lists of items (people loaded with them), so one query feeds all checks.
Cancelled items never conflict with anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from forumapp.escaping import lazy_gettext as _l
from forumapp.programme.models import ProgrammeItem
from forumapp.text import inner_quotes

HALL_DOUBLE_BOOKED = "hall_double_booked"
PERSON_DOUBLE_BOOKED = "person_double_booked"
OVER_HALL_CAPACITY = "over_hall_capacity"


@dataclass(frozen=True)
class Warning:
    kind: str
    item_ids: tuple[int, ...]
    message: str


def _overlap(a: ProgrammeItem, b: ProgrammeItem) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _overlapping_pairs(items: list[ProgrammeItem]):
    """Pairs of items whose times overlap; items sorted by start so the scan stops early."""
    ordered = sorted(items, key=lambda i: (i.starts_at, i.id))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            yield first, second


def schedule_warnings(items: list[ProgrammeItem]) -> list[Warning]:
    active = [i for i in items if i.status != "cancelled"]
    warnings: list[Warning] = []

    by_hall: dict[int, list[ProgrammeItem]] = defaultdict(list)
    for item in active:
        if item.hall_id is not None:
            by_hall[item.hall_id].append(item)
    for hall_items in by_hall.values():
        for a, b in _overlapping_pairs(hall_items):
            warnings.append(
                Warning(
                    HALL_DOUBLE_BOOKED,
                    (a.id, b.id),
                    _l(
                        "%(hall)s is booked twice: «%(first)s» and «%(second)s» overlap.",
                        hall=a.hall.display_name if a.hall else "",
                        first=inner_quotes(a.display_title),
                        second=inner_quotes(b.display_title),
                    ),
                )
            )

    by_person: dict[int, list[ProgrammeItem]] = defaultdict(list)
    names: dict[int, str] = {}
    for item in active:
        for part in {p.person_id: p for p in item.people}.values():
            by_person[part.person_id].append(item)
            names[part.person_id] = part.person.display_name
    for person_id, person_items in by_person.items():
        for a, b in _overlapping_pairs(person_items):
            warnings.append(
                Warning(
                    PERSON_DOUBLE_BOOKED,
                    (a.id, b.id),
                    _l(
                        "%(person)s is in two places at once: «%(first)s» and «%(second)s».",
                        person=names[person_id],
                        first=inner_quotes(a.display_title),
                        second=inner_quotes(b.display_title),
                    ),
                )
            )

    for item in active:
        hall = item.hall
        if item.capacity and hall is not None and hall.capacity is not None and item.capacity > hall.capacity:
            warnings.append(
                Warning(
                    OVER_HALL_CAPACITY,
                    (item.id,),
                    _l(
                        "«%(item)s» expects %(capacity)d people but %(hall)s holds %(hall_capacity)d.",
                        item=inner_quotes(item.display_title),
                        capacity=item.capacity,
                        hall=hall.display_name,
                        hall_capacity=hall.capacity,
                    ),
                )
            )
    return warnings


def warnings_by_item(warnings: list[Warning]) -> dict[int, list[Warning]]:
    result: dict[int, list[Warning]] = defaultdict(list)
    for warning in warnings:
        for item_id in warning.item_ids:
            result[item_id].append(warning)
    return result


