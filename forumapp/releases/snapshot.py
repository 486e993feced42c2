"""The public programme as plain data, and what changed between two such snapshots.

Pure functions over dicts (like programme.warnings): a snapshot is stored as JSON with its release,
so a diff never depends on the rows as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from forumapp.programme.models import ProgrammeItem


class ChangeKind(StrEnum):
    NEW = "new"
    MOVED = "moved"
    RENAMED = "renamed"
    CANCELLED = "cancelled"


# The order the public page and the e-mails list the groups in.
CHANGE_ORDER = (ChangeKind.NEW, ChangeKind.MOVED, ChangeKind.RENAMED, ChangeKind.CANCELLED)
PUBLISHED = "published"


def item_entry(item: ProgrammeItem) -> dict:
    return {
        "title": dict(item.title or {}),
        "start": item.starts_at.isoformat(),
        "end": item.ends_at.isoformat(),
        "hall_id": item.hall_id,
        "hall": dict(item.hall.name or {}) if item.hall else {},
        "status": item.status,
        "people": [dict(part.person.name or {}) for part in item.people],
    }


def take_snapshot(items: list[ProgrammeItem]) -> dict:
    """`items`: what the feeds carry (published, and cancelled after being published)."""
    return {"items": {str(item.id): item_entry(item) for item in items}}


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    item_id: int
    old: dict | None  # the item's entry in the earlier snapshot
    new: dict | None  # ... and in the later one (None: no longer public at all)

    @property
    def entry(self) -> dict:
        """The entry to name the item by: as it is now, or as it was when it went."""
        return self.new or self.old

    @property
    def starts(self) -> str:
        return self.entry["start"]


def _published(entry: dict | None) -> bool:
    return entry is not None and entry.get("status") == PUBLISHED


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def diff(before: dict | None, after: dict) -> list[Change]:
    """What a visitor of the programme sees changed from `before` to `after`:
    - new: published now, not published before (added, or published again after a cancellation);
    - moved: published in both, with another start, end or hall;
    - renamed: published in both, with another title in any language;
    - cancelled: published before, now cancelled or gone from the public programme.
    An item both moved and renamed is in both groups. Changes of people or descriptions are not
    listed (the exports still carry them)."""
    old_items = (before or {}).get("items", {})
    new_items = after.get("items", {})
    changes: list[Change] = []
    for key in sorted(set(old_items) | set(new_items), key=int):
        old, new = old_items.get(key), new_items.get(key)
        was, now = _published(old), _published(new)
        if now and not was:
            changes.append(Change(ChangeKind.NEW, int(key), old, new))
        elif was and not now:
            changes.append(Change(ChangeKind.CANCELLED, int(key), old, new))
        elif was and now:
            if (old["start"], old["end"], old["hall_id"]) != (new["start"], new["end"], new["hall_id"]):
                changes.append(Change(ChangeKind.MOVED, int(key), old, new))
            if _clean(old["title"]) != _clean(new["title"]):
                changes.append(Change(ChangeKind.RENAMED, int(key), old, new))
    return sorted(changes, key=lambda c: (CHANGE_ORDER.index(c.kind), _when(c.starts), c.item_id))


def _clean(title: dict) -> dict:
    return {k: (v or "").strip() for k, v in (title or {}).items() if (v or "").strip()}


def grouped(changes: list[Change]) -> list[tuple[ChangeKind, list[Change]]]:
    """The non-empty groups, in CHANGE_ORDER."""
    return [(kind, [c for c in changes if c.kind == kind]) for kind in CHANGE_ORDER if any(c.kind == kind for c in changes)]


def affecting_participants(changes: list[Change]) -> dict[int, list[Change]]:
    """Changes that concern people signed up for an item: moved or cancelled, by item id."""
    found: dict[int, list[Change]] = {}
    for change in changes:
        if change.kind in (ChangeKind.MOVED, ChangeKind.CANCELLED):
            found.setdefault(change.item_id, []).append(change)
    return found
