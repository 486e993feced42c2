"""Public pages of collection shows and collections, and the audience leaflet."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template
from flask_babel import gettext as _

from forumapp.caching.pages import cached_public
from forumapp.directory.services import Appearance, AppearanceSection, appearance_provider
from forumapp.downloads import download
from forumapp.programme.services import public_event_or_404, utc_offset_label
from forumapp.rate_limits import public_render
from forumapp.shows.labels import CATEGORY_LABELS, SEASON_LABELS
from forumapp.shows.manage_views import bp as manage_bp
from forumapp.shows.pdf import leaflet_pdf
from forumapp.shows.services import (
    collection_of_event_or_404,
    collections_of_brand,
    format_duration,
    running_order,
    show_for_item,
    show_item_of_event_or_404,
)

bp = Blueprint("shows", __name__)
blueprints = [bp, manage_bp]


@bp.url_value_preprocessor
def load_public_event(endpoint, values):
    if values and "slug" in values:
        event = g.event = public_event_or_404(values.pop("slug"))
        g.content_fallback = event.fallback_order
        g.event_default_locale = event.default_locale


@bp.url_defaults
def add_slug(endpoint, values):
    if "slug" not in values and getattr(g, "event", None) is not None and endpoint.startswith(bp.name + "."):
        values["slug"] = g.event.slug


def _public_order(item_id: int):
    item = show_item_of_event_or_404(g.event, item_id, published_only=True)
    show = show_for_item(item)
    if show is None:
        abort(404)
    return running_order(show)


@bp.route("/e/<slug>/shows/<int:item_id>")
@cached_public()
def show(item_id: int):
    order = _public_order(item_id)
    return render_template("shows/show.html", event=g.event, order=order, zone_label=utc_offset_label(g.event))


@bp.route("/e/<slug>/shows/<int:item_id>/leaflet.pdf")
@cached_public()
@public_render
def leaflet(item_id: int):
    from forumapp.sponsors.services import sponsors_by_tier

    order = _public_order(item_id)
    rendered = leaflet_pdf(order, sponsors_by_tier(g.event))
    filename = f"{g.event.slug}-show-{item_id}.pdf"
    return download(rendered.data, "application/pdf", filename, inline=True)


@bp.route("/e/<slug>/collections/<int:collection_id>")
@cached_public()
def collection(collection_id: int):
    collection = collection_of_event_or_404(g.event, collection_id)
    return render_template("shows/collection.html", event=g.event, collection=collection)


def show_page_for(item) -> str | None:
    """URL of the public show page of a programme item, if it has a running order."""
    from flask import url_for

    if item.kind != "collection_show" or show_for_item(item) is None:
        return None
    return url_for("shows.show", slug=item.event.slug, item_id=item.id)


bp.add_app_template_global(show_page_for, "show_page_for")
bp.add_app_template_filter(format_duration, "duration")
bp.add_app_template_global(CATEGORY_LABELS, "CATEGORY_LABELS")
bp.add_app_template_global(SEASON_LABELS, "SEASON_LABELS")


@appearance_provider
def collection_appearances(organisation) -> AppearanceSection:
    from flask import url_for

    entries = [
        Appearance(
            title=collection.display_title,
            url=url_for("shows.collection", slug=collection.event.slug, collection_id=collection.id),
            detail=" · ".join(
                part
                for part in (
                    ", ".join(p.display_name for p in collection.designers),
                    str(collection.year or ""),
                    collection.event.display_title,
                )
                if part
            ),
        )
        for collection in collections_of_brand(organisation)
    ]
    return AppearanceSection(_("Collections"), entries, order=20)
