"""Symbols and emoji in organisers' texts: drawn with the bundled fonts or replaced visibly,
never dropped and never drawn with a font of the machine."""

from __future__ import annotations

import io

from pypdf import PdfReader

from forumapp.documents.render import html_to_pdf
from forumapp.extensions import db


def _fonts(reader: PdfReader) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }


def test_symbols_come_from_the_bundled_symbol_face_and_emoji_become_a_visible_box(app):
    html = (
        '<p>Коллекция «Дала» ✂ ★ ✓ → 👗 end</p>'
        '<p style="font-family: \'Forum Serif\'">Сертификат ✂ 👗</p>'
        '<p style="font-family: \'Forum Sans\'; font-weight: bold">Жүлде ★ 👗</p>'
    )
    with app.test_request_context():
        reader = PdfReader(io.BytesIO(html_to_pdf(html).data))
    text = reader.pages[0].extract_text()
    assert "Коллекция «Дала» ✂ ★ ✓ → □ end" in text
    assert "Сертификат ✂ □" in text and "Жүлде ★ □" in text
    fonts = _fonts(reader)
    assert fonts and all("Forum-Sans" in name or "Forum-Serif" in name for name in fonts), fonts


def test_the_programme_pdf_keeps_a_title_with_symbols_and_emoji(client):
    from tests.conftest import make_event, make_item

    event = make_event()
    item = make_item(event, "Показ коллекций ✂ 👗")
    item.title = {"ru": "Показ коллекций ✂ 👗", "kk": "Коллекциялар көрсетілімі ✂ 👗"}
    db.session.commit()
    reader = PdfReader(io.BytesIO(client.get("/e/test-forum/programme.pdf?lang=kk").data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Коллекциялар көрсетілімі ✂ □" in text
    fonts = _fonts(reader)
    assert all("Forum-Sans" in name or "Forum-Serif" in name for name in fonts), fonts
