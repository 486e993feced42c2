"""Public pages of the directory: one page per organisation with its members, people and
appearances (programmes of published events, collections, partnerships, awards...)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from forumapp.caching.pages import cached_public, site_pages
from forumapp.directory.models import Organisation
from forumapp.directory.services import (
    Appearance,
    AppearanceSection,
    all_organisations,
    appearance_provider,
    organisation_appearances,
    organisation_or_404,
)
from forumapp.extensions import db
from forumapp.programme.labels import PERSON_ROLE_LABELS
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.programme.people import latest_public_events

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/")
@cached_public(site_pages)
def index():
    return render_template("directory/public/organisations.html", organisations=all_organisations())


@bp.route("/<int:organisation_id>")
@cached_public(site_pages)
def organisation(organisation_id: int):
    organisation = organisation_or_404(organisation_id)
    people = sorted(organisation.people, key=lambda p: p.display_name.casefold())
    return render_template(
        "directory/public/organisation.html",
        organisation=organisation,
        people=people,
        # Each person links to their page at the latest public event they take part in.
        person_events=latest_public_events(p.id for p in people),
        members=sorted(organisation.members, key=lambda o: o.display_name.casefold()),
        sections=organisation_appearances(organisation),
    )


@appearance_provider
def programme_appearances(organisation: Organisation) -> AppearanceSection:
    """Published items of published events in which the organisation's people take part."""
    rows = db.session.execute(
        db.select(ItemPerson, ProgrammeItem, Event)
        .join(ProgrammeItem, ProgrammeItem.id == ItemPerson.item_id)
        .join(Event, Event.id == ProgrammeItem.event_id)
        .where(
            ItemPerson.person.has(organisation_id=organisation.id),
            ProgrammeItem.status == "published",
            Event.status.in_(("published", "archived")),
        )
        .order_by(Event.starts_on.desc(), ProgrammeItem.starts_at, ItemPerson.position)
    ).all()
    entries = [
        Appearance(
            title=item.display_title,
            url=url_for("programme.item", slug=event.slug, item_id=item.id),
            detail=f"{part.person.display_name} — {PERSON_ROLE_LABELS[part.role]} · {event.display_title}",
        )
        for part, item, event in rows
    ]
    return AppearanceSection(_("In the programme"), entries, order=10)
