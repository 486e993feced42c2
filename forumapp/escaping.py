"""Messages that carry user-written text, and how they reach a page.

Flask-Babel's LazyString says it is HTML (`__html__` returns the translated, formatted text
unchanged), so Jinja and WTForms print it without escaping. A message such as
"«%(first)s» and «%(second)s» overlap" formatted with a person's name would then put that name
into the page as markup: an unclosed `<form action=...>` captures the next form and its CSRF
token. Here every message is plain text: `str()` gives the text (for e-mails, PDFs' own
escaping, exports), and `__html__` gives it escaped (for pages). The project imports
`lazy_gettext` from this module only (ruff's banned-api rule enforces it).

When a message really must hold markup (a link inside a sentence), build it with
`html_message`: the translated text and every value are escaped, then the result is marked
safe, so only the markup written here ever reaches the page.
"""

from __future__ import annotations

from flask_babel import LazyString, gettext  # noqa: TID251 (the one place that may)
from markupsafe import Markup, escape  # noqa: TID251 (html_message is the safe builder)


class PlainLazyString(LazyString):
    """A lazily translated message that is text, never markup."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_gettext(string: str, **variables) -> PlainLazyString:
    """Like Flask-Babel's lazy_gettext, but the result prints escaped in templates."""
    return PlainLazyString(gettext, string, **variables)


def html_message(string: str, **values) -> Markup:
    """Translate `string`, escape it and each value, put the values in, and mark the result safe.
    Values that are Markup already (built here) are kept as they are."""
    return escape(gettext(string)) % values
