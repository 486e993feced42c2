"""Certificates as HTML: a design (built-in or the organiser's own HTML/CSS) rendered in a
sandboxed Jinja environment with plain data, many certificates in ONE document.

Why one document: WeasyPrint pays a large fixed cost per document (font subsetting, set-up) and
a small one per page. The stylesheet is emitted once, images (logo, background, signatures) are
the same URLs on every page and so decoded once (shared image cache), and each QR code is a tiny
PNG. Batches of built-in designs go further (forumapp.awards.printing.stamp_layout).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import TemplateError
from markupsafe import Markup, escape  # noqa: TID251 (the QR <img> holds a data: URI built here)

from forumapp.awards.sandbox import LimitedSandbox, render_capped
from forumapp.documents.stamping import make_qr

DESIGNS_DIR = Path(__file__).resolve().parent / "designs"
BUILTIN_DESIGNS = ("classic_landscape", "formal_portrait")

# StrictUndefined: a misspelt field, or an attribute the sandbox refuses, is an error the organiser
# sees, never a silently empty line on a thousand printed certificates. The sandbox also limits
# sizes and never folds constants while compiling (forumapp.awards.sandbox).
_sandbox = LimitedSandbox()
MAX_CHARS = 1_000_000  # of HTML per certificate, and of the stylesheet


class DesignError(ValueError):
    """The organiser's template does not compile or fails while rendering."""


class TemplateTooDeep(DesignError):
    """Jinja's parser recursed too deeply on the organiser's template."""


def builtin_source(name: str) -> tuple[str, str]:
    if name not in BUILTIN_DESIGNS:
        name = BUILTIN_DESIGNS[0]
    return (DESIGNS_DIR / f"{name}.html").read_text(), (DESIGNS_DIR / f"{name}.css").read_text()


@lru_cache(maxsize=32)
def _compile(source: str):
    try:
        return _sandbox.from_string(source)
    except TemplateError as error:
        raise DesignError(str(error)) from error
    except (RecursionError, MemoryError) as error:  # e.g. ((((((…)))))) or {% if %} thousands deep
        raise TemplateTooDeep("the template is nested too deeply") from error

@lru_cache(maxsize=4096)
def qr_code(url: str) -> Markup:
    """The verification URL as a QR code: a tiny 1-bit PNG data URI (a few hundred bytes),
    which WeasyPrint places far faster than an inline SVG path; scaled up without smoothing."""
    uri = make_qr(url).png_data_uri(scale=1, border=0)  # the same symbol as a stamped batch draws
    return Markup(f'<img class="qr-code" src="{uri}" alt="">')


def _run(template, max_chars: int, **context) -> str:
    """The template's text. RecursionError and MemoryError are left to the caller: in the
    child process of an own design they mean "too deep" and "out of memory"."""
    try:
        return render_capped(template, max_chars, **context)
    except TemplateError as error:  # SecurityError (and so DesignTooLarge) is a TemplateError too
        raise DesignError(str(error)) from error
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError,
            OverflowError) as error:
        raise DesignError(f"{type(error).__name__}: {error}") from error


def certificates_html(html_source: str, css_source: str, design: dict, certificates: list[dict], *,
                      layered: bool = False, max_chars: int = MAX_CHARS) -> str:
    """One HTML document, one page (<section class="certificate">) per certificate, the
    stylesheet once. `design` and each certificate are plain dicts (never ORM objects).

    `layered` (built-in designs, for stamping a batch): the first page holds only what every
    certificate of its kind shares (frame, background, logo, headings, wording, signatories),
    each further page only the certificate's own lines (forumapp.awards.printing.stamp_prepared)."""
    body = _compile(html_source)
    css = _run(_compile(css_source), max_chars, d=design).replace("</", "<\\/")

    def section(certificate: dict, layer: str) -> str:
        return (f'<section class="certificate layer-{layer}">'
                f"{_run(body, max_chars, c=certificate, d=design, layer=layer)}</section>")

    if layered and certificates:
        pages = [section(certificates[0], "static")] + [section(c, "variable") for c in certificates]
    else:
        pages = [section(certificate, "all") for certificate in certificates]
    page_break = ".certificate { page-break-after: always; } .certificate:last-child { page-break-after: auto; }"
    return (
        f'<!doctype html><html lang="{escape(design["languages"][0])}"><head><meta charset="utf-8">'
        f"<style>{css}\n{page_break}</style></head><body>{''.join(pages)}</body></html>"
    )
