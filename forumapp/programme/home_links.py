"""What the event's home page links to besides the programme: the collection shows with a
running order and the award ceremonies whose results are published. Two narrow queries over
the few items of those kinds, so the home page stays independent of the programme's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from forumapp.extensions import db
from forumapp.i18n import current_language, pick
from forumapp.programme.models import Event, ProgrammeItem


@dataclass(frozen=True, slots=True)
class HomeLink:
    title: str
    url: str
    starts: datetime  # aware, in the event's zone


def _links(event: Event, query, endpoint: str) -> list[HomeLink]:
    lang, fallback = current_language(), event.fallback_order
    return [
        HomeLink(pick(title, lang, fallback), url_for(endpoint, slug=event.slug, item_id=item_id), event.local(starts))
        for item_id, title, starts in db.session.execute(
            query.where(ProgrammeItem.event_id == event.id, ProgrammeItem.status == "published").order_by(
                ProgrammeItem.starts_at, ProgrammeItem.id
            )
        )
    ]


def show_links(event: Event) -> list[HomeLink]:
    from forumapp.shows.models import CollectionShow

    query = db.select(ProgrammeItem.id, ProgrammeItem.title, ProgrammeItem.starts_at).join(
        CollectionShow, CollectionShow.item_id == ProgrammeItem.id
    ).where(ProgrammeItem.kind == "collection_show")
    return _links(event, query, "shows.show")


def results_links(event: Event) -> list[HomeLink]:
    from forumapp.awards.models import Ceremony

    query = db.select(ProgrammeItem.id, ProgrammeItem.title, ProgrammeItem.starts_at).join(
        Ceremony, Ceremony.item_id == ProgrammeItem.id
    ).where(Ceremony.results_published.is_(True))
    return _links(event, query, "awards.results")


def results_url(item: ProgrammeItem) -> str | None:
    """The public results of an award ceremony item, when they are published."""
    from forumapp.awards.models import Ceremony

    if item.kind != "award_ceremony" or item.status != "published":
        return None
    published = db.session.scalar(db.select(Ceremony.results_published).filter_by(item_id=item.id))
    return url_for("awards.results", slug=item.event.slug, item_id=item.id) if published else None
