"""Stamping: a plan read off WeasyPrint's layout of one probe page places any other page's text
where WeasyPrint would; what the model cannot follow is detected; stamped PDFs read back."""

import io
import re

import pytest
from markupsafe import escape
from pypdf import PdfReader

from forumapp.documents.render import html_to_pdf, render_html
from forumapp.documents.stamp_plan import UnsupportedDesign, mismatches, plan_page
from forumapp.documents.stamping import make_qr, stamp

STYLE = """@page { size: 120mm 80mm; margin: 0 } body { margin: 0; font-family: "Forum Serif" }
.box { position: absolute; top: 10mm; left: 10mm; width: 60mm; height: 40mm; overflow: hidden }
.name { font-size: 16pt; font-weight: bold; text-align: center; margin-bottom: 2mm; color: #8a3b12 }
.org { font-family: "Forum Sans"; font-size: 9pt; text-align: right; margin-top: 3mm; padding-top: 1mm }
.note { font-size: 8pt; margin-top: 1mm; letter-spacing: .05em; text-transform: uppercase }
.ids { position: absolute; left: 75mm; top: 55mm; width: 40mm; font-family: "Forum Sans"; font-size: 8pt }
.number { height: 5mm; font-weight: bold }
.qr { position: absolute; left: 80mm; top: 10mm; width: 20mm; height: 20mm }
.qr img { width: 20mm; height: 20mm }
"""


def page_html(data: dict, style: str = STYLE, extra: str = "") -> str:
    qr = make_qr(data["url"]).png_data_uri(scale=1, border=0)
    fields = "".join(f'<div class="{key}" data-field="{path}">{escape(data_at(data, path))}</div>'
                     for key, path in (("name", "name.kk"), ("org", "org"), ("note", "note"))
                     if data_at(data, path))
    return (f"<style>{style}</style><div class='box' data-stack>{fields}</div>"
            f"<div class='ids' data-stack><div class='number' data-field='number'>{data['number']}</div>"
            f"<div data-field='url'>{data['url']}</div></div>"
            f"<div class='qr' data-qr='url'><img src='{qr}'></div>{extra}")


def data_at(data: dict, path: str) -> str:
    value = data
    for key in path.split("."):
        value = value.get(key, "")
    return value


def certificate(name: str, org: str = "", note: str = "", number: str = "LIF-2016-00001") -> dict:
    return {"name": {"kk": name}, "org": org, "note": note, "number": number,
            "url": f"http://forum.test/verify/{number.lower()}-Xy9"}


PROBE = certificate("Гүлмира Уақытова", "«Жасампаз» консорциумы", "жеңімпаз")
OTHERS = [
    certificate("Ержан", number="LIF-2016-00002"),  # one short line, fields left out
    certificate("Әсел Нұрланқызы Сәрсенбаева-Жұмабаева Қасымова", "ЖШС", number="LIF-2016-00003"),  # wraps
    certificate("<b>Жирный</b> <script>alert(1)</script>Ержан", "A/B-C/D", "x", "LIF-2016-00004"),  # / and -
    certificate("Даулет   Бакберген\nАтамекен", "«Атамекен» ҰКП " * 6, "Ұлттық кәсіпкерлер палатасы " * 3,
                "LIF-2016-00005"),  # white space collapsed, long fields wrap and overflow the box
]


def test_the_plan_of_one_probe_places_every_other_page_where_weasyprint_does():
    plan = plan_page(render_html(page_html(PROBE)).pages[0])
    assert len(plan.stacks) == 2 and [f.path for f in plan.stacks[0].fields] == ["name.kk", "org", "note"]
    assert plan.stacks[0].clip and not plan.stacks[1].clip and len(plan.qr_codes) == 1
    for data in [PROBE, *OTHERS]:
        laid_out = render_html(page_html(data)).pages[0]
        assert mismatches(plan, laid_out, data) == [], data["number"]


@pytest.mark.parametrize("css, problem", [
    (".name { text-indent: 5mm }", "where the layout has"),
    (".box { overflow: visible; position: static; margin-top: 10mm } .name { margin-top: 4mm }",
     "where the layout has"),  # margins collapsing through a parent: not followed
])
def test_css_the_model_does_not_follow_is_detected_on_the_probe(css, problem):
    page = render_html(page_html(PROBE, STYLE + css)).pages[0]
    problems = mismatches(plan_page(page), page, PROBE)
    assert problems and any(problem in p for p in problems), problems


def test_unmarked_text_or_images_and_unbundled_fonts_are_refused():
    page = render_html(page_html(PROBE, extra="<p>Алматы</p><img src='/static/fonts/none.png'>")).pages[0]
    assert "unmarked text 'Алматы'" in mismatches(plan_page(page), page, PROBE)
    with pytest.raises(UnsupportedDesign, match="bundled font"):
        plan_page(render_html(page_html(PROBE, STYLE + ".org { font-family: monospace }")).pages[0])
    with pytest.raises(UnsupportedDesign, match="text-align"):
        plan_page(render_html(page_html(PROBE, STYLE + ".name { text-align: justify }")).pages[0])


def qr_modules(content: bytes) -> list[list[int]]:
    """The QR code as drawn: the white square of its size, then one rectangle per dark run."""
    match = re.search(rb"1 g 0 0 (\d+) \1 re f 0 g (.*?) f", content, re.S)
    size = int(match.group(1))
    modules = [[0] * size for _ in range(size)]
    for x, y, width in re.findall(rb"(\d+) (\d+) (\d+) 1 re", match.group(2)):
        for dx in range(int(width)):
            modules[int(y)][int(x) + dx] = 1
    return modules


def test_stamped_pages_read_back_over_one_shared_background():
    document = render_html(page_html(PROBE))
    plan = plan_page(document.pages[0])
    background = html_to_pdf(f"<style>{STYLE}</style><p style='margin: 2mm'>Фон: Алматы, 2016</p>").data
    pages = [PROBE, *OTHERS]
    reader = PdfReader(io.BytesIO(stamp(background, plan, pages, chunk_size=2, parallel=False)))
    assert len(reader.pages) == len(pages)
    forms = set()
    for page, data in zip(reader.pages, pages, strict=True):
        text = page.extract_text()
        assert "Фон: Алматы, 2016" in text and data["number"] in text
        assert " ".join(data["name"]["kk"].split())[:12] in text  # wrapped names extract too
        (form,) = [x.idnum for x in page["/Resources"]["/XObject"].values()]
        forms.add(form)
        own = page["/Contents"][1].get_object().get_data()
        assert qr_modules(own) == [list(row) for row in make_qr(data["url"]).matrix], "the URL's own QR symbol"
    assert len(forms) == 1, "the background is stored once"
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts), "every font embedded"
    assert "<b>Жирный</b>\n<script>alert(1)</" in reader.pages[3].extract_text(), "HTML is printed as text"


def test_nothing_to_stamp_is_an_error_not_an_empty_pdf():
    with pytest.raises(ValueError):
        stamp(b"", plan_page(render_html(page_html(PROBE)).pages[0]), [], chunk_size=10)


def test_stamped_symbols_and_emoji_read_back_as_in_the_single_weasyprint_page():
    """A character no bundled font draws is a visible □ in a batch too, and a symbol (★ ✂ →) is
    drawn by the bundled symbol face, never dropped: the same text as the page WeasyPrint lays out."""
    document = render_html(page_html(PROBE))
    plan = plan_page(document.pages[0])
    background = html_to_pdf(f"<style>{STYLE}</style><p>Фон</p>").data
    odd = [certificate("Айгүл 👗 ★ Сәрсенова", "ZIBROO ✂ → 👩‍🎤", "жеңімпаз ✓", number="LIF-2016-00007"),
           certificate("👗👗", number="LIF-2016-00008")]
    reader = PdfReader(io.BytesIO(stamp(background, plan, odd, chunk_size=5, parallel=False)))
    for page, data in zip(reader.pages, odd, strict=True):
        stamped = _words(page.extract_text())
        single = _words(PdfReader(io.BytesIO(html_to_pdf(page_html(data)).data)).pages[0].extract_text())
        for expected in (["Айгүл □ ★ Сәрсенова", "ZIBROO ✂ → □□", "ЖЕҢІМПАЗ ✓"] if "Айгүл" in stamped else ["□□"]):
            assert expected in stamped, (expected, stamped)
            assert expected in single, (expected, single)
        assert "👗" not in stamped
        laid_out = render_html(page_html(data)).pages[0]
        assert mismatches(plan, laid_out, data) == [], "placed where WeasyPrint places it"
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansSymbols2" in name for name in fonts), fonts


def _words(text: str) -> str:
    """Lines joined (a name may wrap) and the invisible zero-width joiner of an emoji sequence
    dropped, as a reader sees the text."""
    return " ".join(text.replace("\u200d", "").split())
