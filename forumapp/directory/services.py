"""Directory lookups shared by every area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db


def all_organisations() -> list[Organisation]:
    return sorted(db.session.scalars(db.select(Organisation)).all(), key=lambda o: o.display_name.lower())


def all_people() -> list[Person]:
    return sorted(db.session.scalars(db.select(Person)).all(), key=lambda p: p.display_name.lower())


def organisation_or_404(organisation_id: int) -> Organisation:
    return db.session.get(Organisation, organisation_id) or abort(404)


def person_or_404(person_id: int) -> Person:
    return db.session.get(Person, person_id) or abort(404)


def would_create_cycle(organisation: Organisation, parent_id: int | None) -> bool:
    """An organisation cannot be a member of itself or of one of its own members."""
    seen = set()
    current = db.session.get(Organisation, parent_id) if parent_id else None
    while current is not None and current.id not in seen:
        if current.id == organisation.id:
            return True
        seen.add(current.id)
        current = current.parent
    return False


# ---- appearances on the public organisation page -----------------------------------------
# Each area registers a function organisation -> AppearanceSection | None (programmes, shows,
# sponsors, awards...). The page lists the sections in `order`, leaving out empty ones. Only
# public things belong there (published events and items).


@dataclass(frozen=True)
class Appearance:
    title: str
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class AppearanceSection:
    heading: str
    entries: list[Appearance]
    order: int = 50


APPEARANCE_PROVIDERS: list[Callable[[Organisation], AppearanceSection | None]] = []


def appearance_provider(function: Callable[[Organisation], AppearanceSection | None]):
    """Decorator: add a section to every organisation page."""
    if function not in APPEARANCE_PROVIDERS:
        APPEARANCE_PROVIDERS.append(function)
    return function


def organisation_appearances(organisation: Organisation) -> list[AppearanceSection]:
    sections = [provider(organisation) for provider in APPEARANCE_PROVIDERS]
    return sorted((s for s in sections if s and s.entries), key=lambda s: s.order)


def matching(records: list, query: str) -> list:
    """The records whose name, in any language, holds every word of `query` (case-insensitive):
    the directory's search and the item form's person search (a few thousand records at most,
    already loaded for the list)."""
    words = query.lower().split()
    if not words:
        return records
    return [r for r in records if all(w in " ".join(str(v) for v in (r.name or {}).values()).lower() for w in words)]


PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    records: list
    number: int
    pages: int


def page_of(records: list, number: int, per_page: int = PER_PAGE) -> Page:
    pages = max(1, -(-len(records) // per_page))
    number = min(max(1, number), pages)
    return Page(records[(number - 1) * per_page : number * per_page], number, pages)
