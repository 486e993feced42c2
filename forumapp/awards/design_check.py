"""The check a certificate design goes through when it is saved, and its stored result.

The check prints, within the limits of forumapp.awards.own_designs, one document: the event's
first certificate as it is (the preview "with real data"), then for every kind of certificate
the event has recipients of, a probe made of the longest value of each field among them (the
longest name, organisation, nomination, place and citation, as the stamping probe of a batch
is made), so a design that overflows, spills onto a second page or breaks on some recipient's
data is refused when it is saved, not when a thousand certificates are printed.

The result (error, warnings, refused resources, the PDF) is stored on the design; the design
page and its preview show that and never render the design on a GET.
"""

from __future__ import annotations

from flask_babel import gettext as _

from forumapp.awards import services
from forumapp.awards.models import CERTIFICATE_KINDS, Certificate, CertificateDesign
from forumapp.awards.printing import certificate_data, prepare, print_prepared, probe_certificate
from forumapp.awards.rendering import DesignError
from forumapp.programme.models import Event
from forumapp.timeutil import utcnow


def _sample(event: Event) -> Certificate:
    return Certificate(event_id=event.id, serial=1, number=f"{services.number_prefix(event)}-00001",
                       code="preview", kind="award", source="sample", name={"ru": _("Name of the laureate")},
                       organisation={}, reason={}, citation={}, place="first")


def _everyone(event: Event) -> list[Certificate]:
    """Valid certificates of the event, then (unsaved) certificates of recipients who have none yet."""
    issued = services.certificates_for(event)
    have = {(c.kind, c.source) for c in issued}
    pending = [services._new_certificate(event, kind, recipient, 0)
               for kind in CERTIFICATE_KINDS for recipient in services.recipients(event, kind)
               if (kind, recipient["source"]) not in have]
    return issued + pending or [_sample(event)]


def check_prepared(event: Event, design: CertificateDesign, base_url: str) -> tuple:
    """What the check prints (see the module's docstring), as forumapp.awards.printing.prepare gives it."""
    everyone = _everyone(event)
    html_source, css_source, data, first, warnings = prepare(event, everyone[:1], design, base_url)
    rows = [certificate_data(c, data["languages"], event.fallback_order, base_url) for c in everyone]
    probes = []
    for kind in CERTIFICATE_KINDS:
        of_kind = [row for row in rows if row["kind"] == kind]
        if of_kind:
            probes.append(probe_certificate(of_kind, data["languages"]))
    return html_source, css_source, data, first + probes, warnings


def check_design(event: Event, design: CertificateDesign, base_url: str) -> str | None:
    """Print the check and store its result on the design (not committed). The error, if any."""
    html_source, css_source, data, rows, warnings = check_prepared(event, design, base_url)
    design.checked_at = utcnow()
    try:
        rendered = print_prepared(html_source, css_source, data, rows, parallel=False)
    except DesignError as error:
        design.check_error, design.preview_pdf = str(error), None
        design.check_notes = {"warnings": warnings, "refused": []}
        return design.check_error
    design.check_error, design.preview_pdf = None, rendered.data
    design.check_notes = {"warnings": warnings, "refused": rendered.refused_urls}
    return None
