"""Awards on the public organisation page: laureates of ceremonies whose results are published."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from forumapp.awards.labels import PLACE_LABELS
from forumapp.awards.models import Ceremony, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.directory.services import Appearance, AppearanceSection, appearance_provider
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem


@appearance_provider
def award_appearances(organisation: Organisation) -> AppearanceSection:
    """The organisation's own awards and those of its people, newest event first."""
    rows = db.session.execute(
        db.select(Laureate, Nomination, ProgrammeItem, Event)
        .join(Nomination, Nomination.id == Laureate.nomination_id)
        .join(Ceremony, Ceremony.id == Nomination.ceremony_id)
        .join(ProgrammeItem, ProgrammeItem.id == Ceremony.item_id)
        .join(Event, Event.id == ProgrammeItem.event_id)
        .outerjoin(Person, Person.id == Laureate.person_id)
        .where(
            (Laureate.organisation_id == organisation.id) | (Person.organisation_id == organisation.id),
            Ceremony.results_published.is_(True),
            ProgrammeItem.status == "published",
            Event.status.in_(("published", "archived")),
        )
        .order_by(Event.starts_on.desc(), Nomination.position, Laureate.position, Laureate.id)
    ).all()
    entries = [
        Appearance(
            title=nomination.display_title,
            url=url_for("awards.results", slug=event.slug, item_id=item.id),
            detail=" · ".join((str(PLACE_LABELS[laureate.place]), laureate.display_name, event.display_title)),
        )
        for laureate, nomination, item, event in rows
    ]
    return AppearanceSection(_("Awards"), entries, order=40)
