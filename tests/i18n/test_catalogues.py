"""The Kazakh and Russian catalogues are complete, and no template holds text that bypasses them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "forumapp" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# Words that are the same in every language: names of formats and of the product.
NOT_WORDS = {"forumapp", "PDF", "iCal", "QR", "CSV", "XLSX", "JSON", "XML", "c3voc", "frab", "kk", "ru", "en", "px", "mm"}


def _source_messages() -> set[str]:
    found = set()
    sources = (("forumapp", [("**.py", "python")]), ("templates", [("**.html", "jinja2"), ("**.txt", "jinja2")]))
    for directory, method_map in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map=method_map, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def source_messages():
    return _source_messages()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_is_translated(lang, source_messages):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
        and not m.fuzzy
    }
    missing = sorted(source_messages - translated)
    assert not missing, f"run scripts/i18n.sh and translate in {lang}: {missing[:20]}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_their_placeholders(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check() if errors]
    assert not problems


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_compiled_catalogue_matches_its_source(lang):
    """The .mo the app loads holds what the .po says (scripts/i18n.sh compile)."""
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    def key(value):  # a plural message's id and strings are lists in a .mo, tuples in a .po
        return tuple(value) if isinstance(value, list | tuple) else value

    with open(folder / "messages.po", "rb") as fh:
        po = {key(m.id): key(m.string) for m in read_po(fh, locale=lang) if m.id and not m.fuzzy}
    with open(folder / "messages.mo", "rb") as fh:
        mo = {key(m.id): key(m.string) for m in read_mo(fh) if m.id}
    assert po == mo, "run scripts/i18n.sh compile"


def untranslated_literals(source: str) -> list[str]:
    """Human words in a template's markup that are not inside {{ _('...') }}."""
    tokens = Environment(extensions=["jinja2.ext.i18n"]).lex(source)
    text = "".join(value if kind == "data" else "\x00" for _line, kind, value in tokens)
    text = re.sub(r"<!--.*?-->", "\x00", text, flags=re.S)
    text = re.sub(r"<(style|script)\b.*?</\1>", "\x00", text, flags=re.S | re.I)
    text = re.sub(r"&#?\w+;", " ", text)
    chunks = re.findall(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"', text)
    chunks += re.sub(r"<[^>]*>", "\x00", text).split("\x00")
    found = []
    for chunk in chunks:
        if re.search(r"[{};]", chunk):  # CSS inside a {% block %} of a <style>
            continue
        words = [w for w in re.findall(r"[^\W\d_]{2,}", chunk) if w not in NOT_WORDS]
        if words:
            found.append(chunk.strip())
    return found


def test_templates_hold_no_untranslated_text():
    offenders = {}
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "templates").rglob("*.txt")):
        literals = untranslated_literals(path.read_text(encoding="utf-8"))
        if literals:
            offenders[str(path.relative_to(ROOT))] = literals
    assert not offenders


def test_the_literal_check_catches_text_outside_gettext():
    assert untranslated_literals("<p>Programme</p>") == ["Programme"]
    assert untranslated_literals('<input placeholder="Your name">') == ["Your name"]
    assert untranslated_literals("<p>{{ _('Programme') }} · {{ event.title }}</p>") == []
    assert untranslated_literals("<style>@page { size: A4 }</style><p>PDF</p>") == []
