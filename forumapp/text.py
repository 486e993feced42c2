"""Control characters: refused in what people type, removed from what the app exports.

A NUL byte cannot be stored by PostgreSQL (the insert fails with a 500), a vertical tab or a form
feed is not allowed in XML 1.0 (lxml refuses to build /schedule.xml), openpyxl refuses them in a
cell, and in a CSV or an iCalendar file they only confuse the program that reads it. Tabs and
line breaks are text in a multi-line field, and nowhere else.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls (U+0080-U+009F, which
# only ever arrive by mistake, e.g. Windows-1252 text decoded as Latin-1); U+FFFE and U+FFFF,
# which are not characters at all (XML refuses them too).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROL}]")
LINE_CONTROL_CHARACTERS = re.compile(f"[{_CONTROL}\t\n\r]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if `text` holds a character no one types into a field of this kind."""
    return bool((CONTROL_CHARACTERS if multiline else LINE_CONTROL_CHARACTERS).search(text))


def printable(text, *, multiline: bool = True) -> str:
    """`text` without control characters, for an export. Single-line values (titles, names,
    e-mail subjects) get a space for a tab or a line break, so the words stay apart."""
    text = "" if text is None else str(text)
    text = CONTROL_CHARACTERS.sub("", text)
    if not multiline:
        text = re.sub(r"[\t\n\r]+", " ", text)
    return text


def printable_tree(value):
    """A JSON-like structure (dicts, lists, strings) with every string made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: printable_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable_tree(v) for v in value]
    return value


def inner_quotes(text) -> str:
    """`text` to go inside «...» in a message: its own «» become „“, as Russian and Kazakh
    typography nest quotes («Церемония „Лучший производитель“» сохранено), never «...«...»»."""
    return str(text).replace("«", "„").replace("»", "“")
