"""The print-ready A4 programme: cover, day-by-day agenda, index of speakers."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template

from forumapp.documents import render
from forumapp.documents.render import RenderedPDF, join_documents, render_html
from forumapp.programme.listing import safe_colour
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.programme.services import days_with_items, utc_offset_label


def speaker_index(items: list[ProgrammeItem]) -> list[tuple[object, list[ProgrammeItem]]]:
    """Everyone with a part in the programme, alphabetically, with the items they appear in."""
    appearances: dict[int, list[ProgrammeItem]] = defaultdict(list)
    people = {}
    for item in items:
        for part in item.people:
            people[part.person_id] = part.person
            if item not in appearances[part.person_id]:
                appearances[part.person_id].append(item)
    ordered = sorted(people.values(), key=lambda p: p.display_name.casefold())
    return [(person, appearances[person.id]) for person in ordered]


def item_pages(document) -> dict[int, int]:
    """Which page each agenda entry (anchor item-<id>) landed on."""
    pages = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith("item-"):
                pages[int(anchor[5:])] = number
    return pages


def programme_pdf(event: Event, items: list[ProgrammeItem], **extra_context) -> RenderedPDF:
    """The agenda is laid out first; the index then quotes its real page numbers. This costs
    less than CSS target-counter(), which makes WeasyPrint lay pages out again. The garbage
    collector is paused meanwhile (a programme is tens of pages; see render.gc_paused)."""
    with render.gc_paused():
        return _programme_pdf(event, items, **extra_context)


def _programme_pdf(event: Event, items: list[ProgrammeItem], **extra_context) -> RenderedPDF:
    # Each track's colour as a stripe down its items' edge (checked: it goes into a style).
    track_colours = {t.id: safe_colour(t.color) for t in event.tracks}
    context = {"event": event, "zone_label": utc_offset_label(event), "track_colours": track_colours, **extra_context}
    days = [(day, day_items) for day, day_items in days_with_items(event, items) if day_items]
    agenda = render_html(render_template("programme/pdf/programme.html", days=days, **context))
    documents = [agenda]
    speakers = speaker_index(items)
    if speakers:
        index_html = render_template(
            "programme/pdf/speaker_index.html",
            speakers=speakers,
            item_pages=item_pages(agenda),
            first_page=len(agenda.pages) + 1,
            **context,
        )
        documents.append(render_html(index_html))
    # Back page: the event's partners by tier (forumapp.sponsors), a document of its own.
    from forumapp.sponsors.pdf import partners_page_html

    back_page = partners_page_html(first_page=sum(len(d.pages) for d in documents) + 1, **context)
    if back_page:
        documents.append(render_html(back_page))
    return join_documents(documents)
