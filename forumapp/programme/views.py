"""Public pages of published events: home, programme, one item."""

from functools import partial

from flask import Blueprint, abort, g, render_template, request, url_for

from forumapp.caching.pages import cached_public
from forumapp.extensions import db
from forumapp.programme.export_views import bp as exports_bp
from forumapp.programme.home_links import results_links, results_url, show_links
from forumapp.programme.labels import ITEM_KIND_LABELS, PERSON_ROLE_LABELS
from forumapp.programme.manage_views import bp as manage_bp
from forumapp.programme.models import Event
from forumapp.programme.people import event_people, public_person_or_404
from forumapp.programme.programme_page import CACHE_ARGS, ProgrammeQuery, programme_page
from forumapp.programme.services import (
    highlights,
    public_event_or_404,
    published_item_or_404,
    utc_offset_label,
)
from forumapp.registration.places import item_places, places_key

bp = Blueprint("programme", __name__)
blueprints = [bp, manage_bp, exports_bp]


@bp.url_value_preprocessor
def load_public_event(endpoint, values):
    """Pages under /e/<slug>/ show a published event, in its languages and time zone."""
    if values and "slug" in values:
        event = g.event = public_event_or_404(values["slug"])
        g.content_fallback = event.fallback_order
        g.event_default_locale = event.default_locale


@bp.route("/")
def index():
    events = db.session.scalars(
        db.select(Event).where(Event.status.in_(("published", "archived"))).order_by(Event.starts_on.desc())
    ).all()
    return render_template("programme/index.html", events=events)


@bp.route("/e/<slug>/")
@cached_public()
def event_home(slug: str):
    event = g.event
    return render_template(
        "programme/event_home.html",
        event=event,
        highlights=highlights(event, 6),
        shows=show_links(event),
        results=results_links(event),
        zone_label=utc_offset_label(event),
    )


@bp.route("/e/<slug>/programme")
@cached_public(args=CACHE_ARGS)
def programme(slug: str):
    event = g.event
    try:
        query = ProgrammeQuery.from_args(request.args)
    except ValueError:
        abort(400)
    page = programme_page(event, query)
    return render_template(
        "programme/programme.html",
        event=event,
        query=query,
        page=page,
        # Each person's page is this address and their id (one url_for, not one per name).
        people_url=url_for(".people", slug=event.slug),
        zone_label=utc_offset_label(event),
        # Lazily translated labels resolved once per page, not once per person line.
        kind_labels={kind: str(label) for kind, label in ITEM_KIND_LABELS.items()},
        role_labels={role: str(label).lower() for role, label in PERSON_ROLE_LABELS.items()},
        # One url_for per page: /e/<slug>/items/ followed by each item's id.
        item_url=url_for("programme.item", slug=event.slug, item_id=0).removesuffix("0"),
    )


def _places_of_item(slug: str, item_id: int):
    return partial(places_key, g.event.id, item_id)


@bp.route("/e/<slug>/items/<int:item_id>")
@cached_public(also_keyed_by=_places_of_item)
def item(slug: str, item_id: int):
    event = g.event
    item = published_item_or_404(event, item_id)
    return render_template(
        "programme/item.html",
        event=event,
        item=item,
        zone_label=utc_offset_label(event),
        places=item_places(item),
        results_url=results_url(item),
    )


@bp.route("/e/<slug>/people/")
@cached_public()
def people(slug: str):
    event = g.event
    people = [
        (entry, ", ".join(str(PERSON_ROLE_LABELS[role]) for role in entry.roles)) for entry in event_people(event)
    ]
    return render_template("programme/people.html", event=event, people=people)


@bp.route("/e/<slug>/people/<int:person_id>")
@cached_public()
def person(slug: str, person_id: int):
    event = g.event
    person, parts = public_person_or_404(event, person_id)
    return render_template(
        "programme/person.html", event=event, person=person, parts=parts, zone_label=utc_offset_label(event)
    )
