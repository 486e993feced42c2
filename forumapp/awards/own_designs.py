"""Organisers' own HTML/CSS certificate designs, rendered within limits.

An own design is code written by an organiser: it may loop for minutes, build huge strings, nest
a thousand boxes or spill a certificate over a hundred pages. So it is never rendered in the web
or job process. Each document goes to its own child process (forumapp.documents.isolated) with a
wall-clock and CPU limit and an address-space limit, and comes back only if it keeps a page
budget (exactly one page per certificate) and an output-size cap. Inside, the Jinja sandbox has
size limits of its own (forumapp.awards.sandbox) and the rendered HTML a nesting limit.

Every way this can fail ends as a DesignLimitError whose message is translated for the
organiser (a field error on the design page, a 422 page, a failed print job), never a 500.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser

from flask import current_app
from flask_babel import gettext as _

from forumapp.awards.rendering import DesignError, certificates_html, qr_code
from forumapp.awards.sandbox import DesignTooLarge
from forumapp.documents.batch import join_pdfs, workers
from forumapp.documents.isolated import Limits, Stopped, run_isolated
from forumapp.documents.render import RenderedPDF
from forumapp.storage import get_storage

CHUNK_SIZE = 50  # certificates per child process when a batch is printed
MAX_DEPTH = 100  # elements inside one another; WeasyPrint recurses once per level
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                           "source", "track", "wbr"})


class DesignLimitError(DesignError):
    """An own design broke a limit or failed; the message is for the organiser."""


@dataclass(frozen=True)
class DesignLimits:
    seconds: float = 10.0  # for a document of one certificate
    seconds_per_page: float = 0.5  # added for every further certificate of a batch
    memory_mb: int = 1024
    pdf_kb_per_page: int = 4096
    html_chars_per_page: int = 1_000_000
    max_depth: int = MAX_DEPTH

    @classmethod
    def from_config(cls) -> DesignLimits:
        config = current_app.config
        return cls(seconds=float(config.get("AWARDS_DESIGN_SECONDS", cls.seconds)),
                   memory_mb=int(config.get("AWARDS_DESIGN_MEMORY_MB", cls.memory_mb)),
                   pdf_kb_per_page=int(config.get("AWARDS_DESIGN_PDF_KB_PER_PAGE", cls.pdf_kb_per_page)))

    def for_pages(self, pages: int) -> Limits:
        return Limits(self.seconds + self.seconds_per_page * max(0, pages - 1), self.memory_mb * 1024 * 1024)


class _Depth(HTMLParser):
    """The deepest nesting of elements (an unclosed element counts as still open)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS:
            self.depth = max(0, self.depth - 1)


def nesting_depth(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    return parser.deepest


def _failure(code: str, **detail) -> dict:
    return {"failed": code, **detail}


def render_in_child(job: dict) -> dict:
    """Runs in the child process: the certificates of `job` as one PDF, or what went wrong
    (plain data; the parent translates it)."""
    from forumapp.documents.fetcher import SafeURLFetcher
    from forumapp.documents.render import STATIC_DIR, join_documents, render_html

    limits: DesignLimits = job["limits"]
    rows = [{**row, "qr": qr_code(row["verify_url"])} for row in job["rows"]]
    try:
        html = certificates_html(job["html_source"], job["css_source"], job["design"], rows,
                                 max_chars=limits.html_chars_per_page)
    except RecursionError:
        return _failure("recursion")
    except DesignError as error:
        if isinstance(error.__cause__, DesignTooLarge):
            cause = error.__cause__
            return _failure("too_large", what=cause.what, size=cause.size, limit=cause.limit)
        return _failure("template", error=str(error))
    except MemoryError:
        raise
    except Exception as error:  # anything else the organiser's code makes Python raise is theirs too
        return _failure("template", error=f"{type(error).__name__}: {error}")
    if nesting_depth(html) > limits.max_depth:
        return _failure("nesting", depth=limits.max_depth)
    try:
        document = render_html(html, fetcher=SafeURLFetcher(STATIC_DIR, job["media_dir"]),
                               pdf_variant=job["pdf_variant"])
        if len(document.pages) != len(rows):
            return _failure("pages", pages=len(document.pages), count=len(rows))
        rendered = join_documents([document], pdf_variant=job["pdf_variant"])
    except RecursionError:
        return _failure("recursion")
    except MemoryError:
        raise
    except Exception as error:  # WeasyPrint failing on the organiser's HTML/CSS: theirs to fix
        return _failure("layout", error=f"{type(error).__name__}: {error}")
    if len(rendered.data) > limits.pdf_kb_per_page * 1024 * max(1, len(rows)):
        return _failure("size", kb=limits.pdf_kb_per_page)
    return {"data": rendered.data, "refused": rendered.refused_urls, "pages": rendered.page_count}


def _message(failure: dict, limits: DesignLimits) -> str:
    code = failure["failed"]
    if code == "timeout":
        return _("The design took longer than %(seconds)s seconds to render. Simplify it: fewer loops, "
                 "smaller images.", seconds=f"{limits.seconds:g}")
    if code == "memory":
        return _("The design needed more than %(mb)s MB of memory to render.", mb=limits.memory_mb)
    if code == "pages":
        return _("A certificate must fit on one page: this design made %(pages)d pages for %(count)d "
                 "certificates.", pages=failure["pages"], count=failure["count"])
    if code == "size":
        return _("The PDF of this design is larger than %(kb)s kB per certificate.", kb=failure["kb"])
    if code in ("nesting", "recursion"):
        return _("The design's HTML is nested too deeply (at most %(depth)d elements inside one another) "
                 "or calls itself without end.", depth=limits.max_depth)
    if code == "too_large":
        numbers = {"size": failure["size"], "limit": failure["limit"]}
        return {
            "sequence": _("A text or list of %(size)s items is too long here (at most %(limit)s).", **numbers),
            "range": _("range() of %(size)s items is too long (at most %(limit)s).", **numbers),
            "power": _("A number of %(size)s bits is too large (at most %(limit)s).", **numbers),
            "html": _("A certificate's HTML is longer than %(limit)s characters.", **numbers),
        }[failure["what"]]
    if code == "crashed":
        return _("The design stopped the program that renders it.")
    return failure.get("error") or code


def _render_isolated(job: dict, limits: DesignLimits) -> dict:
    try:
        return run_isolated(render_in_child, job, limits.for_pages(len(job["rows"])))
    except Stopped as stopped:
        return _failure(stopped.reason)


def _rendered(result: dict, limits: DesignLimits) -> RenderedPDF:
    """The PDF, or the failure as a message in the organiser's language (this thread's locale)."""
    if "failed" in result:
        raise DesignLimitError(_message(result, limits))
    return RenderedPDF(result["data"], result["refused"], result["pages"])


def print_own(html_source: str, css_source: str, design: dict, rows: list[dict], *, pdf_variant=None,
              progress=None, parallel: bool = True) -> RenderedPDF:
    """Certificates of an own design. A batch is cut into chunks of CHUNK_SIZE certificates,
    each laid out in its own child process within the limits (PDF/A as one document, which it
    must be), and joined in order; the first chunk that fails fails the batch with its message."""
    limits = DesignLimits.from_config()
    size = len(rows) if pdf_variant else CHUNK_SIZE
    parts = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    jobs = [{"html_source": html_source, "css_source": css_source, "design": design, "rows": part,
             "media_dir": get_storage(), "pdf_variant": pdf_variant, "limits": limits}
            for part in parts]
    results: list[RenderedPDF] = []

    def collect(result: dict) -> None:
        results.append(_rendered(result, limits))
        if progress:
            progress(sum(r.page_count for r in results))

    if parallel and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers()) as pool:
            for result in pool.map(lambda job: _render_isolated(job, limits), jobs):
                collect(result)
    else:
        for job in jobs:
            collect(_render_isolated(job, limits))
    if len(results) == 1:
        return results[0]
    refused = sorted({url for r in results for url in r.refused_urls})
    return RenderedPDF(join_pdfs([r.data for r in results]), refused, sum(r.page_count for r in results))
