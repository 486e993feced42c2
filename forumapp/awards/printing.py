"""From issued certificates and a design to plain data, and from plain data to PDF.

Nothing here hands ORM objects to a template: the design's (possibly organiser-written)
template sees only dicts of strings, rendered in the sandbox (forumapp.awards.rendering).
"""

from __future__ import annotations

import logging
import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forumapp.awards.labels import PLACE_LABELS, certificate_texts
from forumapp.awards.models import Certificate, CertificateDesign
from forumapp.awards.rendering import builtin_source, certificates_html, qr_code
from forumapp.awards.services import DEFAULT_COLOURS, design_languages
from forumapp.documents.batch import print_batch, workers
from forumapp.documents.render import RenderedPDF, join_documents, render_html
from forumapp.documents.stamp_plan import UnsupportedDesign, mismatches, plan_page
from forumapp.documents.stamping import stamp
from forumapp.i18n import pick
from forumapp.media import images
from forumapp.programme.models import Event
from forumapp.storage import InvalidKey, get_storage
from forumapp.templating import local_date

INLINE_LIMIT = 20  # batches up to this many pages are printed within the request
CHUNK_SIZE = 250  # pages per chunk laid out by one worker process
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TEXT_FIELDS = ("name", "organisation", "place", "reason", "citation")
log = logging.getLogger(__name__)


def media_url(path: str | None) -> str | None:
    """/media/<path> if the image is in the storage, else None."""
    if not path:
        return None
    try:
        if not get_storage().exists(images.media_key(path)):
            return None
    except InvalidKey:
        return None
    return "/media/" + path


def design_sources(design: CertificateDesign) -> tuple[str, str]:
    html, css = builtin_source(design.base)
    return design.custom_html or html, design.custom_css or css


def design_data(design: CertificateDesign, event: Event) -> tuple[dict, list[str]]:
    """The design as plain data, and warnings for the organiser (missing images)."""
    languages = design_languages(design)
    fallback = event.fallback_order
    warnings = []
    texts = {}
    for lang in languages:
        with force_locale(lang):
            defaults = certificate_texts()
            place_date = f"{pick(event.city, lang, fallback)}, {local_date(event.starts_on)}".strip(", ")
        own = design.texts or {}
        texts[lang] = {key: (own.get(key) or {}).get(lang) or value for key, value in defaults.items()}
        texts[lang]["place_date"] = place_date
    colours = {key: value if _COLOUR.match(str(value or "")) else DEFAULT_COLOURS[key]
               for key, value in {**DEFAULT_COLOURS, **(design.colours or {})}.items() if key in DEFAULT_COLOURS}
    images = {}
    for field, label in (("logo", _("logo")), ("background", _("background image"))):
        path = getattr(design, field)
        images[field] = media_url(path) or ""
        if path and not images[field]:
            warnings.append(_("The %(what)s file %(file)s is missing; certificates are printed without it.",
                              what=label, file=path))
    signatories = []
    for signatory in design.signatories or []:
        signature = media_url(signatory.get("signature"))
        if signatory.get("signature") and not signature:
            warnings.append(_("The signature image of %(name)s (%(file)s) is missing; certificates show a line "
                              "to sign by hand instead.", name=signatory.get("name", ""), file=signatory["signature"]))
        signatories.append({"name": signatory.get("name", ""), "position": signatory.get("position", ""),
                            "signature": signature or ""})
    from forumapp.sponsors.services import sponsors_by_tier

    partners = {}
    for lang in languages:
        names = [p["name"] for tier in sponsors_by_tier(event, certificates=True, lang=lang) for p in tier["partners"]]
        partners[lang] = ", ".join(names)
    data = {
        "languages": languages,
        "partners": partners,
        "colours": colours,
        "texts": texts,
        **images,
        "signatories": signatories,
        "event": {"title": {lang: pick(event.title, lang, fallback) for lang in languages},
                  "place_date": texts[languages[0]]["place_date"]},
    }
    return data, warnings


def certificate_data(certificate: Certificate, languages: list[str], fallback: list[str], base_url: str) -> dict:
    """A certificate as plain strings in each of the design's languages (QR added at render)."""
    places = {}
    for lang in languages:
        with force_locale(lang):
            places[lang] = str(PLACE_LABELS[certificate.place]) if certificate.place else ""
    texts = {key: {lang: pick(getattr(certificate, key), lang, fallback) for lang in languages}
             for key in ("name", "organisation", "reason", "citation")}
    return {
        "kind": certificate.kind,
        "number": certificate.number,
        "code": certificate.code,
        "verify_url": f"{base_url.rstrip('/')}/verify/{certificate.code}",
        "revoked": certificate.status == "revoked",
        "place": places,
        **texts,
    }


def render_chunk(chunk: tuple) -> str:
    """HTML of one chunk of certificates, each drawn whole (runs in a worker process; plain data only)."""
    html_source, css_source, design, certificates = chunk
    pages = [{**certificate, "qr": qr_code(certificate["verify_url"])} for certificate in certificates]
    return certificates_html(html_source, css_source, design, pages)


def prepare(event: Event, certificates: list[Certificate], design: CertificateDesign, base_url: str):
    """Everything a print needs, as plain data: (html, css, design dict, certificate dicts, warnings)."""
    html_source, css_source = design_sources(design)
    data, warnings = design_data(design, event)
    rows = [certificate_data(c, data["languages"], event.fallback_order, base_url) for c in certificates]
    # Stamping relies on the built-in designs' fixed, marked slots; an organiser's own HTML/CSS is
    # laid out page by page.
    data["stampable"] = not design.custom_html and not design.custom_css
    return html_source, css_source, data, rows, warnings


def probe_certificate(rows: list[dict], languages: list[str]) -> dict:
    """The certificate a stamped batch is checked with: every text field present, each the
    longest of the batch (so wrapping and overflow are checked where they happen)."""
    probe = dict(rows[0])
    for key in _TEXT_FIELDS:
        probe[key] = {lang: max((row[key].get(lang) or "" for row in rows), key=len) or "Әә" for lang in languages}
    return probe


def stamp_layout(html_source, css_source, data, rows):
    """What a stamped batch is drawn from: (background PDF, plan, refused URLs), from
    WeasyPrint's layout of the shared background and one probe certificate. None when the batch
    cannot be stamped (an organiser's own design, mixed kinds, or a probe the plan gets wrong)."""
    if not data.get("stampable") or len(rows) < 2 or len({row["kind"] for row in rows}) != 1:
        return None
    probe = probe_certificate(rows, data["languages"])
    html = certificates_html(html_source, css_source, data, [{**probe, "qr": qr_code(probe["verify_url"])}],
                             layered=True)  # page 1: what all share; page 2: the probe's own lines
    document = render_html(html)
    try:
        plan = plan_page(document.pages[1])
        problems = mismatches(plan, document.pages[1], probe)
    except UnsupportedDesign as error:
        problems = [str(error)]
    if problems:
        log.warning("certificates laid out page by page, the design cannot be stamped: %s", "; ".join(problems[:3]))
        return None
    return join_documents([document.copy(document.pages[:1])]).data, plan, list(document.refused_urls)


def stamp_prepared(html_source, css_source, data, rows, *, progress=None, parallel: bool = True) -> RenderedPDF | None:
    """A batch of a built-in design, stamped (forumapp.documents.stamping): every certificate
    drawn over the background from the plan of stamp_layout(). None when it cannot be stamped;
    the caller lays out every page instead."""
    layout = stamp_layout(html_source, css_source, data, rows)
    if layout is None:
        return None
    background, plan, refused = layout
    size = min(current_app.config.get("AWARDS_CHUNK_SIZE", CHUNK_SIZE), -(-len(rows) // workers()))
    pdf = stamp(background, plan, rows, chunk_size=size, parallel=parallel, progress=progress,
                title=data["event"]["title"][data["languages"][0]])
    return RenderedPDF(pdf, refused, len(rows))


def print_prepared(html_source, css_source, data, rows, *, pdf_variant=None, progress=None,
                   parallel: bool = True) -> RenderedPDF:
    """Built-in designs are stamped (see stamp_prepared). Otherwise: small batches as one
    document here; larger ones in chunks laid out by the worker pool (at least one chunk per
    worker, none longer than CHUNK_SIZE), joined in order."""
    if not pdf_variant:
        stamped = stamp_prepared(html_source, css_source, data, rows, progress=progress, parallel=parallel)
        if stamped is not None:
            return stamped
    config = current_app.config
    threshold = config.get("AWARDS_PARALLEL_FROM", INLINE_LIMIT * 2)
    if parallel and len(rows) > threshold:
        size = min(config.get("AWARDS_CHUNK_SIZE", CHUNK_SIZE), -(-len(rows) // workers()))
    else:
        size = max(1, len(rows))
    parts = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    chunks = [(html_source, css_source, data, part) for part in parts]
    return print_batch(chunks, to_html=render_chunk, media_dir=get_storage(),
                       pdf_variant=pdf_variant or None, parallel=parallel, progress=progress,
                       pages_per_chunk=[len(part) for part in parts])
