"""Many laureates at once: a list pasted from a spreadsheet, or a CSV/XLSX file, read into rows,
each matched to a nomination of the ceremony and to people and organisations of the directory,
previewed with its errors, then added in one transaction.

Columns, in this order (a header row naming them is skipped):
    nomination; person; organisation; place; citation
A row needs a person or an organisation. The nomination may be left empty when the organiser
chose one for the whole list. A name that matches exactly one person (or organisation) of the
directory in any language, ignoring case and spacing, is that person; a name that matches none
is added to the directory; one that matches several is an error (choose in the directory first).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from forumapp.awards.models import PLACES, Ceremony, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.escaping import lazy_gettext as _l
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.text import printable

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
MAX_CELL = 2000
HEADER_WORDS = {"nomination", "номинация", "номинациясы", "person", "name", "имя", "фио", "есімі", "аты-жөні"}

# What organisers write for a place, in any of the three languages, mapped to its key.
PLACE_WORDS = {
    "grand_prix": ("grand_prix", "grand prix", "гран-при", "гран при", "гран-при", "бас жүлде"),
    "first": ("first", "1", "1st", "1st place", "i", "первое", "первое место", "1 место", "1-е место", "бірінші",
              "бірінші орын", "1 орын"),
    "second": ("second", "2", "2nd", "2nd place", "ii", "второе", "второе место", "2 место", "2-е место", "екінші",
               "екінші орын", "2 орын"),
    "third": ("third", "3", "3rd", "3rd place", "iii", "третье", "третье место", "3 место", "3-е место", "үшінші",
              "үшінші орын", "3 орын"),
    "diploma": ("diploma", "", "диплом", "дипломант", "дипломы"),
}
_PLACES = {word: key for key, words in PLACE_WORDS.items() for word in words}


class BulkInputError(ValueError):
    """The file or text cannot be read at all (the form shows the message)."""


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("«", "\"").replace("»", "\"")).strip().casefold()


# ---- reading ---------------------------------------------------------------------------------


def rows_from_text(text: str) -> list[list[str]]:
    """Rows of a pasted list: tab-separated (copied from a spreadsheet), else semicolons, else
    commas (CSV quoting is understood)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    sample = "\n".join(lines[:20])
    delimiter = "\t" if "\t" in sample else ";" if ";" in sample else ","
    rows = []
    for line in lines:
        # Spreadsheets quote a cell holding the delimiter or a quote ("a ""b"""); a typed line with
        # an unpaired quote (a name like "Kazlegprom) is read as it is, not as an open quote.
        quoting = csv.QUOTE_MINIMAL if line.count('"') % 2 == 0 else csv.QUOTE_NONE
        for row in csv.reader([line], delimiter=delimiter, quoting=quoting):
            rows.append([printable(cell, multiline=False).strip()[:MAX_CELL] for cell in row])
    return rows


def rows_from_upload(filename: str, data: bytes) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise BulkInputError(_l("The file is larger than 2 MB."))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _rows_from_xlsx(data)
    if name.endswith((".csv", ".txt", ".tsv")):
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                return rows_from_text(data.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise BulkInputError(_l("The file is not text in UTF-8 or Windows-1251."))
    raise BulkInputError(_l("Upload a .csv or .xlsx file."))


def _rows_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zip, XML or format errors of a damaged or foreign file
        raise BulkInputError(_l("The file cannot be read as an Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=10):
            cells = ["" if v is None else printable(str(v), multiline=False).strip()[:MAX_CELL] for v in values]
            if any(cells):
                rows.append(cells)
        return rows
    finally:
        workbook.close()


def as_text(rows: list[list[str]]) -> str:
    """Rows as tab-separated text: what the preview carries to the confirmation."""
    return "\n".join("\t".join(cell.replace("\t", " ") for cell in row) for row in rows)


# ---- matching --------------------------------------------------------------------------------


@dataclass
class Match:
    """A person or organisation of a row: an existing one, a new one, or none."""

    name: str = ""
    existing: object | None = None

    @property
    def is_new(self) -> bool:
        return bool(self.name) and self.existing is None


@dataclass
class Row:
    number: int  # as in the organiser's list, counting from 1 (a skipped header counts)
    nomination: Nomination | None = None
    nomination_text: str = ""
    person: Match = field(default_factory=Match)
    organisation: Match = field(default_factory=Match)
    place: str = "diploma"
    citation: str = ""
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Directory:
    """Every name of every person and organisation, by its folded form."""

    def __init__(self):
        self.people = self._index(db.session.scalars(db.select(Person)))
        self.organisations = self._index(db.session.scalars(db.select(Organisation)))

    @staticmethod
    def _index(rows) -> dict[str, list]:
        index: dict[str, list] = {}
        for row in rows:
            for name in {_key(v) for v in (row.name or {}).values() if v}:
                index.setdefault(name, []).append(row)
        return index

    @staticmethod
    def find(index: dict, name: str, row: Row, ambiguous) -> Match:
        if not name:
            return Match()
        found = index.get(_key(name), [])
        if len(found) > 1:
            row.errors.append(ambiguous)
            return Match(name=name)
        return Match(name=name, existing=found[0] if found else None)


def read_rows(ceremony: Ceremony, rows: list[list[str]], default_nomination: Nomination | None) -> list[Row]:
    """Each row matched and checked; nothing is written."""
    if len(rows) > MAX_ROWS + 1:
        raise BulkInputError(_l("At most 500 laureates at once."))
    nominations: dict[str, list[Nomination]] = {}
    for nomination in ceremony.nominations:
        for title in {_key(v) for v in (nomination.title or {}).values() if v}:
            nominations.setdefault(title, []).append(nomination)
    directory = _Directory()
    result = []
    for number, cells in enumerate(rows, start=1):
        cells = (cells + [""] * 5)[:5]
        if number == 1 and {_key(c) for c in cells} & HEADER_WORDS:
            continue
        nomination_text, person, organisation, place, citation = cells
        row = Row(number=number, nomination_text=nomination_text, citation=citation)
        if nomination_text:
            found = nominations.get(_key(nomination_text), [])
            if len(found) == 1:
                row.nomination = found[0]
            else:
                row.errors.append(_l("No nomination of this ceremony is called that."))
        elif default_nomination is not None:
            row.nomination = default_nomination
        else:
            row.errors.append(_l("Name the nomination, or choose one for the whole list."))
        row.person = directory.find(directory.people, person, row,
                                    _l("Several people in the directory have this name: add this one by hand."))
        row.organisation = directory.find(directory.organisations, organisation, row,
                                          _l("Several organisations have this name: add this one by hand."))
        if not person and not organisation:
            row.errors.append(_l("A person, an organisation, or both."))
        if _key(place) in _PLACES:
            row.place = _PLACES[_key(place)]
        else:
            row.errors.append(_l("Unknown place: use Grand Prix, 1, 2, 3 or diploma."))
        if len(person) > 300 or len(organisation) > 300 or len(citation) > 2000:
            row.errors.append(_l("A cell is too long."))
        result.append(row)
    return result


def add_laureates(rows: list[Row], locale: str) -> int:
    """Adds the rows without errors (new people and organisations to the directory, named in
    `locale`), in one transaction; returns how many laureates were added."""
    added = 0
    new_people: dict[str, Person] = {}
    new_organisations: dict[str, Organisation] = {}
    positions: dict[int, int] = {}
    for row in rows:
        if not row.ok:
            continue
        person = row.person.existing
        if row.person.is_new:
            person = new_people.setdefault(_key(row.person.name), Person(name={locale: row.person.name}))
        organisation = row.organisation.existing
        if row.organisation.is_new:
            organisation = new_organisations.setdefault(
                _key(row.organisation.name), Organisation(name={locale: row.organisation.name}))
        if person is not None and person.organisation is None and person.id is None and organisation is not None:
            person.organisation = organisation
        nomination = row.nomination
        position = positions.setdefault(nomination.id, len(nomination.laureates))
        positions[nomination.id] = position + 1
        db.session.add(Laureate(nomination=nomination, person=person, organisation=organisation, place=row.place,
                                citation={locale: row.citation} if row.citation else {}, position=position))
        added += 1
    db.session.commit()
    return added


def display(match: Match) -> str:
    if match.existing is not None:
        return pick(match.existing.name)
    return match.name


__all__ = ["PLACES", "BulkInputError", "Row", "add_laureates", "as_text", "read_rows", "rows_from_text",
           "rows_from_upload"]
