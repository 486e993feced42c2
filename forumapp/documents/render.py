"""HTML to PDF with WeasyPrint: bundled fonts, the safe fetcher, shared font work and caches.

Font set-up and the stylesheet that declares the bundled fonts are built once per process and
reused; WeasyPrint's image cache is shared too. One long document is far cheaper than many short
ones (font subsetting is paid per document), so batch printing renders one document.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from forumapp.documents.fetcher import BASE_URL, SafeURLFetcher
from forumapp.documents.glyphs import drawable, symbol_faces_css
from forumapp.storage import get_storage

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і) is covered by Noto Sans and Noto Serif (SIL OFL 1.1,
# static/fonts/OFL.txt). Documents use the family names below and never a system font.
# (family, bold, italic) -> file under static/fonts/; forumapp.documents.stamping reads it too.
BUNDLED_FACES = {
    ("Forum Sans", False, False): "NotoSans-Regular.ttf",
    ("Forum Sans", True, False): "NotoSans-Bold.ttf",
    ("Forum Sans", False, True): "NotoSans-Italic.ttf",
    ("Forum Serif", False, False): "NotoSerif-Regular.ttf",
    ("Forum Serif", True, False): "NotoSerif-Bold.ttf",
}
FONT_FACES_CSS = "".join(
    f'@font-face {{ font-family: "{family}";{" font-weight: bold;" if bold else ""}'
    f'{" font-style: italic;" if italic else ""} src: url(/static/fonts/{file}); }}\n'
    for (family, bold, italic), file in BUNDLED_FACES.items()
) + symbol_faces_css(("Forum Sans", "Forum Serif")) + 'html { font-family: "Forum Sans"; }\n'
# Symbols (✂ ★ ✓ →) come from the bundled symbol faces in every family, never from a system
# font; what no bundled face has is replaced before layout (forumapp.documents.glyphs).


@dataclass
class _Shared:
    font_config: FontConfiguration
    fonts_css: CSS
    image_cache: dict = field(default_factory=dict)


_shared: _Shared | None = None
_lock = threading.Lock()
_render_lock = threading.Lock()


def _shared_resources(fetcher: SafeURLFetcher) -> _Shared:
    global _shared
    with _lock:
        if _shared is None:
            font_config = FontConfiguration()
            fonts_css = CSS(
                string=FONT_FACES_CSS, base_url=BASE_URL, url_fetcher=fetcher, font_config=font_config
            )
            _shared = _Shared(font_config, fonts_css)
        return _shared


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False
_gc_overdue_since_resume = False
# Objects allocated while paused after which a pause that ends collects everything even though
# other pauses are still running. About one programme PDF's worth: a render's own garbage never
# triggers it, a worker whose renders keep overlapping collects every few renders.
GARBAGE_CEILING = 400_000


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector off while a document of bounded size (tens of pages) is
    laid out and written, then one young-generation collection frees what it left behind.

    Layout allocates some 10^5 boxes and styles that live until the document is written; the
    collector sees them as survivors and keeps scanning every object of the process (the app,
    its libraries, the fonts: about 2·10^5) again and again. For the programme PDF that was about
    a third of its CPU time (docs/PERFORMANCE.md). Nested and concurrent uses are counted: the
    collector comes back on when the last one ends, and only if it was on before the first.

    In a threaded worker under a crowd the pauses overlap without end and the count may never
    reach 0; the garbage then grew without limit (155 → 982 MB in 60 s). So a pause that ends
    while others run checks how many objects were allocated since the last collection and, past
    GARBAGE_CEILING, collects all generations: memory stays bounded whatever the overlap
    (bench/pdf_memory.py). Not for batches of hundreds of pages: their garbage would pile up
    until the end."""
    global _gc_pauses, _gc_was_enabled, _gc_overdue_since_resume
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            resume = _gc_pauses == 0 and _gc_was_enabled
            if resume:
                gc.enable()
            overdue = not resume and _gc_was_enabled and gc.get_count()[0] > GARBAGE_CEILING
            # A collection while other renders ran moved their live boxes to the old generation,
            # where they became garbage that a young collection does not see.
            full = resume and _gc_overdue_since_resume
            _gc_overdue_since_resume = not resume and (_gc_overdue_since_resume or overdue)
        if resume:
            gc.collect() if full else gc.collect(0)
            _give_memory_back()
        elif overdue:
            gc.collect()
            _give_memory_back()


def _load_libc():
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (musl, macOS): nothing to trim
        return None


_libc = _load_libc()


def _give_memory_back() -> None:
    """What a render freed goes back to the system: glibc keeps freed memory in its heaps (one
    arena per thread of a gthread worker), so without a trim the worker's size stays at the peak
    of the most concurrent renders it ever did."""
    if _libc is not None:
        _libc.malloc_trim(0)


def warm_fonts() -> None:
    """Configure the bundled fonts (regular, bold, italic, serif) in this process."""
    html = ('<p>Әә <b>Әә</b> <i>Әә</i></p><p style="font-family: \'Forum Serif\'">Әә <b>Әә</b></p>')
    html_to_pdf(html, fetcher=SafeURLFetcher(STATIC_DIR, STATIC_DIR / "fonts"))


def make_fetcher() -> SafeURLFetcher:
    return SafeURLFetcher(STATIC_DIR, get_storage())


@dataclass
class RenderedPDF:
    data: bytes
    refused_urls: list[str]
    page_count: int


def render_html(html: str, *, fetcher: SafeURLFetcher | None = None, pdf_variant: str | None = None):
    """Lay out an HTML string (that uses /static/ and /media/ URLs) into a WeasyPrint Document.
    Several documents can be joined with join_documents() and written once."""
    fetcher = fetcher or make_fetcher()
    shared = _shared_resources(fetcher)
    # WeasyPrint's shared font configuration is not made for concurrent use.
    with _render_lock:
        document = HTML(string=drawable(html), base_url=BASE_URL, url_fetcher=fetcher).render(
            font_config=shared.font_config,
            stylesheets=[shared.fonts_css],
            cache=shared.image_cache,
            pdf_variant=pdf_variant,
        )
        # WeasyPrint caches failed loads too; forget them, so the next document asks the fetcher
        # again (and reports the refusal again, or finds a file that has been uploaded since).
        for url in fetcher.refused:
            shared.image_cache.pop(url, None)
    document.refused_urls = list(fetcher.refused)
    return document


def join_documents(documents, *, pdf_variant: str | None = None) -> RenderedPDF:
    """Write one PDF from the pages of several rendered documents (fonts are subset once)."""
    pages = [page for document in documents for page in document.pages]
    with _render_lock:
        data = documents[0].copy(pages).write_pdf(pdf_variant=pdf_variant)
    refused = [url for document in documents for url in getattr(document, "refused_urls", [])]
    return RenderedPDF(data, refused, len(pages))


def html_to_pdf(html: str, *, pdf_variant: str | None = None, fetcher=None) -> RenderedPDF:
    """Render an HTML string that uses /static/ and /media/ URLs into PDF bytes."""
    document = render_html(html, fetcher=fetcher, pdf_variant=pdf_variant)
    return join_documents([document], pdf_variant=pdf_variant)


def render_pdf(template: str, *, pdf_variant: str | None = None, **context) -> RenderedPDF:
    """Render a Jinja template under templates/ to PDF."""
    return html_to_pdf(render_template(template, **context), pdf_variant=pdf_variant)
