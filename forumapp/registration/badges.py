"""Name badges, printed in batches: one A6 page per badge, or four A6 badges on an A4 sheet
with cut guides. The whole batch is one WeasyPrint document (fonts are subset once)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from forumapp.documents.render import RenderedPDF, html_to_pdf
from forumapp.escaping import lazy_gettext as _l
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration.models import Registration
from forumapp.registration.tickets import qr_data_uri, ticket_code

LAYOUTS = {"a6": _l("A6, one badge per page"), "a4x4": _l("A4, four badges per sheet with cut guides")}
ORDERS = {"name": _l("Name"), "organisation": _l("Organisation"), "category": _l("Category")}
STATUS_FILTERS = {
    "confirmed": _l("Confirmed"),
    "checked_in": _l("Checked in"),
    "not_checked_in": _l("Confirmed, not checked in yet"),
    "pending": _l("Awaiting confirmation"),
    "waiting": _l("Waiting list"),
}
PER_SHEET = {"a6": 1, "a4x4": 4}
BADGE_QR_MASK = 2  # a fixed mask: see tickets.qr_data_uri

# Kazakh Cyrillic in alphabetical order: Python's code-point order would put ә, ғ, қ, ң, ө, ұ,
# ү, һ, і after я.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: index for index, letter in enumerate(KAZAKH_ALPHABET)}


def sort_key(text: str) -> tuple:
    """Latin letters first (code-point order), then Cyrillic in the Kazakh alphabet's order."""
    return tuple((1, _RANK[c]) if c in _RANK else (0 if ord(c) < 0x400 else 2, ord(c)) for c in text.casefold().strip())


@dataclass(frozen=True)
class BadgeOptions:
    layout: str = "a6"
    order: str = "name"
    status: str = "confirmed"
    category_id: int | None = None
    with_qr: bool = True

    @classmethod
    def from_args(cls, args) -> BadgeOptions | None:
        """From the query string; None if a value is not one of the offered choices."""
        layout = args.get("layout", "a6")
        order = args.get("order", "name")
        status = args.get("status", "confirmed")
        category = args.get("category", "")
        if layout not in LAYOUTS or order not in ORDERS or status not in STATUS_FILTERS:
            return None
        if category and not category.isdigit():
            return None
        return cls(layout, order, status, int(category) if category else None, args.get("qr", "1") != "0")


def badge_registrations(event: Event, options: BadgeOptions) -> list[Registration]:
    query = db.select(Registration).where(Registration.event_id == event.id)
    if options.status in ("confirmed", "checked_in", "not_checked_in"):
        query = query.where(Registration.status == "confirmed")
        if options.status == "checked_in":
            query = query.where(Registration.checked_in_at.is_not(None))
        elif options.status == "not_checked_in":
            query = query.where(Registration.checked_in_at.is_(None))
    else:
        query = query.where(Registration.status == options.status)
    if options.category_id:
        query = query.where(Registration.category_id == options.category_id)
    registrations = list(db.session.scalars(query))
    by_name = lambda r: (sort_key(r.full_name), r.id)  # noqa: E731
    if options.order == "organisation":
        registrations.sort(key=lambda r: (r.organisation_name.strip() == "", sort_key(r.organisation_name), *by_name(r)))
    elif options.order == "category":
        registrations.sort(
            key=lambda r: (
                r.category is None,
                r.category.position if r.category else 0,
                sort_key(r.category.display_name) if r.category else (),
                *by_name(r),
            )
        )
    else:
        registrations.sort(key=by_name)
    return registrations


def badges_pdf(event: Event, registrations: list[Registration], options: BadgeOptions) -> RenderedPDF:
    return html_to_pdf(badge_html(event, registrations, options))


def badge_html(event: Event, registrations: list[Registration], options: BadgeOptions) -> str:
    per_sheet = PER_SHEET[options.layout]
    badges = [
        {
            "registration": registration,
            "qr": qr_data_uri(ticket_code(registration), scale=1, mask=BADGE_QR_MASK) if options.with_qr else None,
        }
        for registration in registrations
    ]
    sheets = [badges[i : i + per_sheet] for i in range(0, len(badges), per_sheet)]
    return render_template("registration/pdf/badges.html", event=event, sheets=sheets, layout=options.layout)
