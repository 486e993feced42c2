"""The batch a worker prints is the certificates people expect: every line of every stamped page
(text, font, colour, position) is the line of the certificate downloaded alone (laid out by
WeasyPrint), for every field of both built-in designs."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from forumapp.documents.render import BUNDLED_FACES
from forumapp.extensions import db
from tests.awards.conftest import BASE, post
from tests.awards.test_certificates import issue, kazakh_russian_design

TOLERANCE = 0.6  # points
# WeasyPrint names an embedded font after its CSS family ("Forum-Serif-Bold"), reportlab after the
# file's PostScript name ("NotoSerif-Bold"): both name the bundled file.
FONT_FILES = {f"{family.replace(' ', '-')}{'-Bold' if bold else ''}{'-Italic' if italic else ''}": file[:-4]
              for (family, bold, italic), file in BUNDLED_FACES.items()}


@pytest.fixture(autouse=True)
def _one_site_address(app, monkeypatch):
    """The verification links in both PDFs come from the site's address: the same for the single
    certificate and the batch whatever an earlier test's live server did to SERVER_NAME."""
    monkeypatch.setitem(app.config, "SERVER_NAME", "forum.test")


def page_lines(data: bytes, page_number: int) -> list[tuple[str, str, tuple, float, float]]:
    """(text without spaces, font, fill colour, x, y) of each line drawn on the page (each text
    operator draws one line in both WeasyPrint's and the stamper's PDFs), read back with pypdf."""
    runs = []
    state = {"fill": (0.0, 0.0, 0.0)}
    stack = []

    def operator(op, operands, cm, tm):
        if op == b"q":
            stack.append(dict(state))
        elif op == b"Q" and stack:
            state.update(stack.pop())
        elif op in (b"rg", b"sc", b"scn") and len(operands) == 3:
            state["fill"] = tuple(round(float(v), 3) for v in operands)
        elif op == b"g" and len(operands) == 1:
            state["fill"] = (round(float(operands[0]), 3),) * 3

    def text(value, cm, tm, font, size):
        if not value.strip() or font is None:
            return
        x, y = tm[4], tm[5]
        page_x, page_y = cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]
        name = re.sub(r"^/?[A-Z]{6}\+", "", str(font.get("/BaseFont", ""))).lstrip("/")
        name = FONT_FILES.get(name, name).replace("-Regular", "")
        runs.append((round(page_y, 1), page_x, name, state["fill"], value))

    PdfReader(io.BytesIO(data)).pages[page_number].extract_text(visitor_operand_before=operator, visitor_text=text)
    # A stamped line with symbols is several runs of one text object (a run per face), which
    # pypdf reports at the line's start: one line again, named by its first face, as
    # WeasyPrint's line reads back.
    merged: list[list] = []
    for y, x, font, fill, value in runs:
        if merged and merged[-1][:2] == [y, x] and merged[-1][3] == fill:
            merged[-1][4] += value
        else:
            merged.append([y, x, font, fill, value])
    return [("".join(value.split()), font, fill, x, y) for y, x, font, fill, value in merged]


def mismatched_lines(single: bytes, batch: bytes, page: int) -> list[str]:
    expected, stamped = page_lines(single, 0), page_lines(batch, page)
    problems = []
    for line in expected:
        text, font, fill, x, y = line
        match = [other for other in stamped if other[:3] == (text, font, fill)
                 and abs(other[3] - x) <= TOLERANCE and abs(other[4] - y) <= TOLERANCE]
        if match:
            stamped.remove(match[0])
        else:
            near = [other for other in stamped if other[0] == text]
            problems.append(f"{line} not in the batch page (same text there: {near})")
    problems.extend(f"{line} only in the batch page" for line in stamped)
    return problems


def test_every_line_of_every_stamped_page_is_the_single_certificates_in_both_designs(admin_client, ceremony):
    design = kazakh_russian_design(admin_client)
    certificates = issue(admin_client, ceremony)
    for base in ("classic_landscape", "formal_portrait"):
        design.base = base
        db.session.commit()
        # In the background, as a worker prints it (the job runs the worker's task here).
        response = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id,
                                                        "background": "1"}, token_from=ceremony["page"])
        status = admin_client.get(response.headers["Location"] + ".json").get_json()
        assert status["status"] == "done", status
        batch = admin_client.get(status["download"]).data
        reader = PdfReader(io.BytesIO(batch))
        assert all("/ForumLayer" in page["/Resources"]["/XObject"] for page in reader.pages), "stamped"
        for n, certificate in enumerate(certificates):
            single = admin_client.get(f"{BASE}/certificates/{certificate.id}.pdf").data
            lines = sorted(page_lines(single, 0), key=lambda line: (-line[4], line[3]))
            text = "".join(line[0] for line in lines)  # a long word may wrap (at "/")
            # every field of the certificate (nomination, citation, place...) is among the lines compared
            values = [certificate.number, *(v for key in ("name", "organisation", "reason", "citation")
                                             for lang, v in (getattr(certificate, key) or {}).items() if v and lang in ("kk", "ru"))]
            words = {word for value in values for word in value.split() if len(word) > 3}
            missing = [word for word in words if word not in text]
            assert not missing, (base, missing, text)
            assert mismatched_lines(single, batch, n) == [], (base, certificate.number)


def test_a_laureate_with_emoji_and_symbols_reads_the_same_in_the_batch_and_alone(admin_client, ceremony):
    """An emoji no bundled font draws is □ in both, a symbol is drawn by the bundled symbol face
    in both, and every line sits where the single certificate has it."""
    ceremony["gulmira"].name = {"kk": "Гүлмира 👗 ★ Уақытова ✂", "ru": "Гульмира 👗 ★ Уахитова →"}
    db.session.commit()
    kazakh_russian_design(admin_client)
    certificates = issue(admin_client, ceremony)
    response = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id,
                                                    "background": "1"}, token_from=ceremony["page"])
    status = admin_client.get(response.headers["Location"] + ".json").get_json()
    assert status["status"] == "done", status
    batch = admin_client.get(status["download"]).data
    n, certificate = next((n, c) for n, c in enumerate(certificates) if "👗" in c.name["kk"])
    single = admin_client.get(f"{BASE}/certificates/{certificate.id}.pdf").data
    for data, page in ((single, 0), (batch, n)):
        text = " ".join(PdfReader(io.BytesIO(data)).pages[page].extract_text().split())
        assert "Гүлмира □ ★ Уақытова ✂" in text and "Гульмира □ ★ Уахитова →" in text, text
    stamped_fonts = {str(f.get_object()["/BaseFont"]) for f in PdfReader(io.BytesIO(batch)).pages[n]["/Resources"]["/Font"].values()}
    assert any("NotoSansSymbols2" in name for name in stamped_fonts), stamped_fonts
    problems = mismatched_lines(single, batch, n)
    assert problems == [], "\n".join(problems)
