"""The print-ready A4 programme: cover, day-by-day agenda, index of speakers."""

from __future__ import annotations

from collections import defaultdict

from forumapp.documents.render import RenderedPDF, render_pdf
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


def programme_pdf(event: Event, items: list[ProgrammeItem], **extra_context) -> RenderedPDF:
    return render_pdf(
        "programme/pdf/programme.html",
        event=event,
        days=[(day, day_items) for day, day_items in days_with_items(event, items) if day_items],
        speakers=speaker_index(items),
        zone_label=utc_offset_label(event),
        **extra_context,
    )
