"""Everything collected at registration, as CSV and XLSX. Any cell that a spreadsheet would read
as a formula (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe;
control characters are removed."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from forumapp.i18n import pick
from forumapp.registration import services
from forumapp.registration.labels import STATUS_LABELS
from forumapp.registration.models import Question, Registration
from forumapp.text import printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Control characters confuse spreadsheet programs and openpyxl refuses them in a cell.
    text = printable(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def answer_texts(registration: Registration, event_questions: list[Question]) -> list[tuple[Question, str]]:
    result = []
    for question in event_questions:
        value = (registration.answers or {}).get(str(question.id))
        labels = question.choice_labels()
        if value is None or value == "" or value == []:
            text = ""
        elif question.kind == "single_choice":
            text = labels[value] if isinstance(value, int) and 0 <= value < len(labels) else ""
        elif question.kind == "multiple_choice":
            text = "; ".join(labels[i] for i in value if isinstance(i, int) and 0 <= i < len(labels))
        elif question.kind == "checkbox":
            text = _("yes") if value else _("no")
        else:
            text = str(value)
        result.append((question, text))
    return result


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


def table(event, registrations: list[Registration]) -> list[list]:
    event_questions = services.questions(event)
    items = services.signup_items(event)
    header = [
        _("Number"), _("Full name"), _("E-mail"), _("Phone"), _("Organisation"), _("Position"), _("City"),
        _("Participant category"), _("Language"), _("Status"), _("Registered at"), _("Consent given at"),
        _("Checked in at"),
        *[q.display_label for q in event_questions],
        *[item.display_title for item in items],
    ]
    rows = [header]
    for r in registrations:
        signups = {s.item_id: s.status for s in r.signups}
        rows.append([
            r.id, r.full_name, r.email, r.phone, r.organisation_name, r.position, r.city,
            pick(r.category.name) if r.category else "", r.locale, str(STATUS_LABELS[r.status]),
            _time(r.created_at), _time(r.consent_at), _time(r.checked_in_at),
            *[text for _q, text in answer_texts(r, event_questions)],
            *[str(STATUS_LABELS.get(signups[item.id], "")) if item.id in signups else "" for item in items],
        ])
    return [[neutralise(cell) for cell in row] for row in rows]


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read UTF-8 (Kazakh letters)
    csv.writer(out).writerows(rows)
    return out.getvalue()


def to_xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Registrations")[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # openpyxl would store a string that starts with "=" as a formula; neutralise() prevents it,
    # and every cell is typed as text or number explicitly here.
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
