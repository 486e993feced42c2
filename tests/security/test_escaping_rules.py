"""The rules that keep user-written text out of the markup: messages are text (escaped in pages,
plain in Python), and templates never switch escaping off."""

from __future__ import annotations

import pathlib
import re

from flask import render_template_string

from forumapp.escaping import html_message, lazy_gettext
from tests.security.hostile import HOSTILE, injected_elements, parse

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_a_lazy_message_is_text_in_python_and_escaped_in_a_page(app):
    message = lazy_gettext("%(person)s is in two places at once: «%(first)s» and «%(second)s».",
                           person=HOSTILE, first="a", second="b")
    with app.test_request_context("/?lang=en"):
        assert str(message).startswith(HOSTILE)  # e-mails, PDFs' own escaping, exports get the text
        page = render_template_string("<p>{{ m }}</p><label>{{ m|string }}</label>", m=message)
    assert not injected_elements(page)
    assert parse(page).text_content().count(HOSTILE) == 2


def test_html_message_escapes_every_value_and_the_text(app):
    with app.test_request_context("/?lang=en"):
        message = html_message("Saved %(name)s.", name=HOSTILE)
        page = render_template_string("<p>{{ m }}</p>", m=message)
    assert not injected_elements(page)
    assert parse(page).text_content() == f"Saved {HOSTILE}."


def test_no_template_switches_escaping_off():
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if re.search(r"\|\s*safe\b|autoescape\s+false|filter\s+safe|Markup\(", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_module_takes_flask_babels_lazy_gettext():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "forumapp").rglob("*.py")
                 if p.name != "escaping.py" and re.search(r"flask_babel import[^\n]*lazy_gettext", p.read_text("utf-8"))]
    assert offenders == []


def test_no_script_of_ours_writes_markup():
    """The check-in page and the print job's page put names and messages in with textContent."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "forumapp" / "static" / "js").glob("*.js")
                 if re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", p.read_text("utf-8"))]
    assert offenders == []
