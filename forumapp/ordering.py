"""Things organisers put in order with ↑/↓ buttons (segments, tiers, partners, nominations,
laureates): each has a `position`; ties are broken by id."""

from __future__ import annotations

from werkzeug.exceptions import BadRequest


def move_one_place(things, thing, offset: int) -> bool:
    """Swap `thing` with its neighbour (offset -1 up, +1 down) and renumber 0..n-1.
    False, and nothing changed, when it is already at that end."""
    ordered = sorted(things, key=lambda t: (t.position, t.id or 0))
    index = ordered.index(thing)
    target = index + offset
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    return True


def offset_of(direction: str | None) -> int:
    """The offset for a ↑/↓ button's `direction` ("up" -1, "down" +1); anything else is a bad
    request (400), never a silent move."""
    if direction not in ("up", "down"):
        raise BadRequest()
    return -1 if direction == "up" else 1
