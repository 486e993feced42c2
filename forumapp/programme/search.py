"""Search in the public programme: titles, descriptions, people, organisations, halls and tracks
in every language, insensitive to case and to the Kazakh letters a visitor may type either way
(ә or а, ө or о, ...). Both sides are folded the same way, in Python over plain rows: only a
request with a search reads the descriptions and organisations."""

from __future__ import annotations

from collections import defaultdict

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem

# Kazakh letters to the Russian letter a visitor types on a keyboard without them; ё to е.
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
MAX_QUERY = 100


def fold(text: str) -> str:
    return text.casefold().translate(_FOLD)


def query_words(query: str) -> list[str]:
    return fold(query).split()


def _texts(value) -> list[str]:
    """Every language's text of a translated field ({"kk": ..., "ru": ...})."""
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    return []


def search_texts(event: Event) -> dict[int, str]:
    """The folded text a search looks in, for each published item of the event."""
    published = (ProgrammeItem.event_id == event.id) & (ProgrammeItem.status == "published")
    texts: dict[int, list[str]] = defaultdict(list)
    halls = {h.id: _texts(h.name) for h in event.halls}
    tracks = {t.id: _texts(t.name) for t in event.tracks}
    for row in db.session.execute(
        db.select(ProgrammeItem.id, ProgrammeItem.title, ProgrammeItem.description, ProgrammeItem.hall_id,
                  ProgrammeItem.track_id).where(published)
    ):
        texts[row.id] += _texts(row.title) + _texts(row.description)
        texts[row.id] += halls.get(row.hall_id, []) + tracks.get(row.track_id, [])
    for item_id, name, organisation in db.session.execute(
        db.select(ItemPerson.item_id, Person.name, Organisation.name)
        .join(Person, Person.id == ItemPerson.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .where(published)
    ):
        texts[item_id] += _texts(name) + _texts(organisation)
    # A separator no folded query contains, so words never match across two fields.
    return {item_id: fold("\n".join(parts)) for item_id, parts in texts.items()}


def matching_ids(event: Event, query: str) -> set[int]:
    """Items whose text contains every word of the query."""
    words = query_words(query)
    return {item_id for item_id, text in search_texts(event).items() if all(w in text for w in words)}
