"""Changes as lines to print, in the language of the page or e-mail being made (titles from
the snapshots, times in the event's zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from forumapp.i18n import pick
from forumapp.programme.models import Event
from forumapp.releases.snapshot import Change, ChangeKind, grouped
from forumapp.templating import local_date


@dataclass(frozen=True)
class ChangeLine:
    kind: ChangeKind
    item_id: int
    title: str
    before: str  # when and where it was ("" for a new item)
    after: str  # when and where it is now ("" for a cancelled item)
    old_title: str  # for a renamed item


def _place(event: Event, entry: dict, lang: str | None) -> str:
    start = event.local(datetime.fromisoformat(entry["start"]))
    end = event.local(datetime.fromisoformat(entry["end"]))
    hall = pick(entry.get("hall") or {}, lang, event.fallback_order) or _("No hall")
    return f"{local_date(start)}, {start:%H:%M}–{end:%H:%M}, {hall}"


def change_line(event: Event, change: Change, lang: str | None = None) -> ChangeLine:
    fallback = event.fallback_order
    old, new = change.old, change.new
    show_old = change.kind in (ChangeKind.MOVED, ChangeKind.CANCELLED)
    show_new = change.kind in (ChangeKind.NEW, ChangeKind.MOVED, ChangeKind.RENAMED)
    return ChangeLine(
        kind=change.kind,
        item_id=change.item_id,
        title=pick(change.entry["title"], lang, fallback),
        before=_place(event, old, lang) if show_old and old else "",
        after=_place(event, new, lang) if show_new and new else "",
        old_title=pick(old["title"], lang, fallback) if change.kind == ChangeKind.RENAMED and old else "",
    )


def grouped_lines(event: Event, changes: list[Change], lang: str | None = None) -> list[tuple[ChangeKind, list[ChangeLine]]]:
    return [(kind, [change_line(event, c, lang) for c in group]) for kind, group in grouped(changes)]
