"""Hostile own designs: each is refused with a field error, quickly, and nothing is saved.

Limits are set low here (forumapp.awards.own_designs reads them from the config), so a design
that would run for minutes is stopped in seconds."""

from __future__ import annotations

import re
import time
import tracemalloc

import pytest

from forumapp.awards.models import CertificateDesign, PrintJob
from forumapp.extensions import db
from tests.awards.conftest import BASE, pdf_pages, post
from tests.awards.test_designs import save_design

SECONDS = 3
# No output: a loop that printed would fill memory before it ran out of time on a fast machine.
SLOW_LOOP = "{% for i in range(2000) %}{% for j in range(2000) %}{% for k in range(2000) %}{% endfor %}{% endfor %}{% endfor %}"


@pytest.fixture(autouse=True)
def low_limits(app):
    saved = {key: app.config.get(key) for key in ("AWARDS_DESIGN_SECONDS", "AWARDS_DESIGN_MEMORY_MB",
                                                  "AWARDS_DESIGN_PDF_KB_PER_PAGE")}
    app.config.update(AWARDS_DESIGN_SECONDS=SECONDS, AWARDS_DESIGN_MEMORY_MB=300, AWARDS_DESIGN_PDF_KB_PER_PAGE=4096)
    yield
    app.config.update(saved)


def designs() -> int:
    return db.session.scalar(db.select(db.func.count(CertificateDesign.id)))


def refused(client, html: str, expected: str, css: str = "") -> str:
    started = time.monotonic()
    response = save_design(client, custom_html=html, custom_css=css)
    elapsed = time.monotonic() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 200, (response.status_code, page[:500])
    assert 'class="error"' in page and expected in page, re.findall(r'class="error"[^<]*<[^<]*', page)
    assert designs() == 0, "a refused design is not saved"
    assert elapsed < SECONDS + 20, f"refused after {elapsed:.1f} s"
    return page


def test_a_hundred_million_iterations_are_stopped_by_the_time_limit(admin_client, ceremony):
    started = time.monotonic()
    refused(admin_client, SLOW_LOOP, "took longer than 3 seconds")
    assert time.monotonic() - started < SECONDS + 10


def test_a_hundred_megabyte_string_is_refused_before_it_is_built(admin_client, ceremony):
    refused(admin_client, "{{ 'a' * 10**8 }}", "A text or list of 100000000 items is too long")
    refused(admin_client, "{% for i in range(10**8) %}{% endfor %}", "range() of 100000000 items is too long")
    refused(admin_client, "{{ 7 ** (10**8) }}", "bits is too large")


def test_compiling_a_template_never_builds_its_constants():
    """Jinja folds constant expressions while compiling; a 30-character template used to become
    a 100 MB constant in the web process, before any limit applied."""
    from forumapp.awards.rendering import _compile

    tracemalloc.start()
    try:
        for source in ("{{ 'a' * 10**8 }}", "{{ 'a'|center(100000000) }}", "{{ '%100000000s'|format('a') }}"):
            _compile(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"compiling allocated {peak // 2**20} MB"


def test_text_built_in_a_loop_is_stopped_by_the_memory_limit(admin_client, ceremony):
    doubling = ("{% set ns = namespace(s='a' * 10000) %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}"
                "{% endfor %}{{ ns.s|length }}")
    refused(admin_client, doubling, "needed more than 300 MB of memory")


def test_a_thousand_nested_elements_are_a_field_error(admin_client, ceremony):
    refused(admin_client, "<div>" * 1000 + "{{ c.name.ru }}" + "</div>" * 1000, "nested too deeply")


@pytest.mark.parametrize(("html", "expected"), [
    ("{{ [].pop() }}", "IndexError"),
    ("{{ 10.0 ** 400 }}", "OverflowError"),
    ("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}", "nested too deeply"),
    ("{{ c.name.ru|int(0) // 0 }}", "ZeroDivisionError"),
])
def test_python_errors_in_a_template_are_field_errors_not_500(admin_client, ceremony, html, expected):
    refused(admin_client, html, expected)


def test_a_template_too_deep_to_compile_is_a_field_error(admin_client, ceremony):
    refused(admin_client, "{% if 1 %}" * 2000 + "{% endif %}" * 2000, "The template is nested too deeply.")
    refused(admin_client, "<p>ok</p>", "The template is nested too deeply.", css="{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")


def test_a_certificate_must_fit_on_one_page(admin_client, ceremony):
    html = "{% for i in range(30) %}<p style='page-break-after: always'>{{ i }}</p>{% endfor %}"
    refused(admin_client, html, "A certificate must fit on one page: this design made 90 pages for 3 certificates")


def test_the_pdf_size_is_capped(app, admin_client, ceremony):
    app.config["AWARDS_DESIGN_PDF_KB_PER_PAGE"] = 1
    refused(admin_client, "<p>{{ c.name.ru }}</p>", "larger than 1 kB per certificate")


def test_the_save_check_uses_the_longest_values_not_only_the_first_certificate(admin_client, ceremony):
    """The first laureate's name (17 letters) fits on the page; the longest name of the
    ceremony (43 characters, of the third laureate) pushes the certificate onto a second page."""
    css = "@page { size: A6 landscape; margin: 0 } p { margin: 0; height: 5mm }"
    html = "{% for letter in c.name.ru %}<p>{{ letter }}</p>{% endfor %}"  # 17 × 5 mm fit in 105 mm; 43 do not
    refused(admin_client, html, "A certificate must fit on one page", css=css)
    fits = "{% for letter in c.name.ru[:20] %}<p>{{ letter }}</p>{% endfor %}"
    assert save_design(admin_client, custom_html=fits, custom_css=css).status_code == 302


def test_the_design_page_shows_the_stored_check_and_never_renders_on_get(admin_client, ceremony):
    response = save_design(admin_client, custom_html="<p>{{ c.name.ru }}</p>")
    assert response.status_code == 302
    design = db.session.scalar(db.select(CertificateDesign))
    assert design.checked_at is not None and design.check_error is None and design.preview_pdf
    preview = admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf")
    assert "Гульмира Уахитова" in pdf_pages(preview.data)[0]
    # Today's data changes; views of the design page and its preview show the stored check.
    gulmira = ceremony["gulmira"]
    gulmira.name = {**gulmira.name, "ru": "Гульмира Уахитова-Сейткали"}
    db.session.commit()
    assert "Сейткали" not in pdf_pages(admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf").data)[0]
    page = admin_client.get(f"{BASE}/designs/{design.id}").get_data(as_text=True)
    assert "Checked on" in page
    # "Check again" prints it with today's data.
    post(admin_client, f"{BASE}/designs/{design.id}/check", {}, token_from=f"{BASE}/designs/{design.id}")
    assert "Сейткали" in pdf_pages(admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf").data)[0]


def test_printing_an_own_design_keeps_the_limits_and_a_failing_batch_fails_cleanly(app, admin_client, ceremony):
    """A design that loops only for the third certificate passes the save check (made before
    the numbers exist) but not the printing: the request says so, the job fails with the reason."""
    html = "{% if c.number.endswith('3') %}" + SLOW_LOOP + "{% endif %}<p>{{ c.name.ru }}</p>"
    assert save_design(admin_client, custom_html=html).status_code == 302
    post(admin_client, f"{BASE}/issue", {"kind": "award"}, token_from=f"{BASE}/")
    started = time.monotonic()
    inline = post(admin_client, f"{BASE}/print", {"kind": "award"}, token_from=f"{BASE}/")
    assert inline.status_code == 302
    overview = admin_client.get(inline.headers["Location"]).get_data(as_text=True)
    assert "The certificate design failed" in overview and "took longer than 3 seconds" in overview
    job = post(admin_client, f"{BASE}/print", {"kind": "award", "background": "1"}, token_from=f"{BASE}/")
    assert job.status_code == 302
    printed = db.session.scalar(db.select(PrintJob))
    assert printed.status == "failed" and "took longer than 3 seconds" in printed.error
    assert time.monotonic() - started < 2 * SECONDS + 30
