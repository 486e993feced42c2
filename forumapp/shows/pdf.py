"""Two PDFs of a collection show: the run-of-show sheet for backstage (segments, times, call
times, music, notes) and the audience leaflet (collections in order, designers, descriptions)."""

from __future__ import annotations

from flask import render_template

from forumapp.documents.render import RenderedPDF, render_pdf
from forumapp.programme.services import utc_offset_label
from forumapp.shows.services import RunningOrder, format_duration


def run_of_show_pdf(order: RunningOrder) -> RenderedPDF:
    event = order.item.event
    return render_pdf(
        "shows/pdf/run_of_show.html",
        event=event,
        order=order,
        zone_label=utc_offset_label(event),
        format_duration=format_duration,
    )


def leaflet_pdf(order: RunningOrder, partners=None) -> RenderedPDF:
    event = order.item.event
    return render_pdf(
        "shows/pdf/leaflet.html",
        event=event,
        order=order,
        partners=partners or [],
        zone_label=utc_offset_label(event),
    )


def leaflet_html(order: RunningOrder, partners=None) -> str:
    """The leaflet's HTML (for benchmarks and debugging)."""
    event = order.item.event
    return render_template(
        "shows/pdf/leaflet.html", event=event, order=order, partners=partners or [], zone_label=utc_offset_label(event)
    )
