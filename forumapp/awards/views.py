"""Awards: organisers' pages (ceremonies, certificates, designs, printing) and public pages
(published results, certificate verification)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from forumapp.awards import (  # noqa: F401 (sources, sections)
    appearances,
    design_check,
    job_pages,
    jobs,
    listing,
    recipient_sources,
    services,
)
from forumapp.awards.forms import DesignForm, LaureateForm, NominationForm
from forumapp.awards.labels import CERTIFICATE_KIND_LABELS, JOB_STATUS_LABELS, PLACE_LABELS
from forumapp.awards.models import CERTIFICATE_KINDS, Certificate, Laureate, Nomination, PrintJob
from forumapp.awards.printing import INLINE_LIMIT, prepare, print_prepared
from forumapp.awards.rendering import DesignError
from forumapp.caching.pages import cached_public, event_pages
from forumapp.directory.services import all_organisations, all_people
from forumapp.documents.render import render_pdf
from forumapp.downloads import download
from forumapp.extensions import db
from forumapp.lookups import of_event_or_404
from forumapp.media.images import delete_image
from forumapp.ordering import move_one_place, offset_of
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.services import public_event_or_404
from forumapp.rate_limits import certificate_lookup
from forumapp.text import inner_quotes
from forumapp.urls import public_base_url, safe_next

bp = organiser_pages(Blueprint("awards_manage", __name__, url_prefix="/manage/e/<slug>/awards"))
public_bp = Blueprint("awards", __name__)
blueprints = [bp, public_bp]



@bp.context_processor
def labels():
    return {"PLACE_LABELS": PLACE_LABELS, "CERTIFICATE_KIND_LABELS": CERTIFICATE_KIND_LABELS,
            "JOB_STATUS_LABELS": JOB_STATUS_LABELS}


def _pdf(data: bytes, filename: str, refused: list[str] | None = None) -> Response:
    response = download(data, "application/pdf", filename, inline=True)
    if refused:
        response.headers["X-Refused-Resources"] = str(len(refused))
    return response


def _owned(model, object_id: int):
    """A nomination, laureate or certificate of the current event, else 404."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    event_id = {
        Nomination: lambda o: o.ceremony.item.event_id,
        Laureate: lambda o: o.nomination.ceremony.item.event_id,
    }.get(model, lambda o: o.event_id)(obj)
    if event_id != g.event.id:
        abort(404)
    return obj


# ---- overview and ceremonies ------------------------------------------------------------


@bp.route("/")
def overview():
    event = g.event
    ceremonies = [(item, services.ceremony_for(item)) for item in services.ceremony_items(event)]
    db.session.commit()
    counts = {kind: len(services.certificates_for(event, kind=kind)) for kind in CERTIFICATE_KINDS}
    designs = db.session.scalars(db.select(services.CertificateDesign).filter_by(event_id=event.id)).all()
    recent_jobs = db.session.scalars(
        db.select(PrintJob).filter_by(event_id=event.id).order_by(PrintJob.id.desc()).limit(5)).all()
    return render_template("awards/overview.html", event=event, ceremonies=ceremonies, counts=counts,
                           designs=designs, jobs=recent_jobs, kinds=CERTIFICATE_KINDS)


@bp.route("/c/<int:item_id>", methods=["GET", "POST"])
def ceremony(item_id: int):
    event = g.event
    ceremony = services.ceremony_of_event_or_404(event, item_id)
    form = NominationForm()
    if form.validate_on_submit():
        nomination = Nomination(ceremony_id=ceremony.id, position=len(ceremony.nominations))
        form.populate_obj(nomination)
        db.session.add(nomination)
        db.session.commit()
        flash(_("The nomination «%(title)s» was added. Add its laureates here.",
                title=inner_quotes(nomination.display_title)))
        return redirect(url_for(".nomination", nomination_id=nomination.id))
    db.session.commit()
    ceremony = services.load_ceremony(ceremony.id)
    designs = db.session.scalars(db.select(services.CertificateDesign).filter_by(event_id=event.id)).all()
    return render_template("awards/ceremony.html", event=event, ceremony=ceremony, item=ceremony.item, form=form,
                           designs=designs)


@bp.route("/c/<int:item_id>/publish", methods=["POST"])
def publish_results(item_id: int):
    ceremony = services.ceremony_of_event_or_404(g.event, item_id)
    ceremony.results_published = request.form.get("published") == "1"
    db.session.commit()
    flash(_("The results are public.") if ceremony.results_published else _("The results are hidden."))
    return redirect(url_for(".ceremony", item_id=item_id))


@bp.route("/c/<int:item_id>/running-order.pdf")
def running_order(item_id: int):
    ceremony = services.load_ceremony(services.ceremony_of_event_or_404(g.event, item_id).id)
    rendered = render_pdf("awards/pdf/running_order.html", event=g.event, ceremony=ceremony,
                          item=ceremony.item, steps=services.running_order(ceremony))
    return _pdf(rendered.data, f"running-order-{item_id}.pdf")


# ---- nominations and laureates -------------------------------------------------------------


def _laureate_form(**kwargs) -> LaureateForm:
    return LaureateForm(people=all_people(), organisations=all_organisations(), prefix="laureate", **kwargs)


@bp.route("/nominations/<int:nomination_id>", methods=["GET", "POST"])
def nomination(nomination_id: int):
    nomination = _owned(Nomination, nomination_id)
    form = NominationForm(obj=nomination)
    if form.validate_on_submit():
        form.populate_obj(nomination)
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".nomination", nomination_id=nomination.id))
    db.session.rollback()
    return render_template("awards/nomination.html", event=g.event, nomination=nomination, form=form,
                           laureate_form=_laureate_form())


@bp.route("/nominations/<int:nomination_id>/laureates", methods=["POST"])
@bp.route("/laureates/<int:laureate_id>", methods=["GET", "POST"])
def laureate(nomination_id: int | None = None, laureate_id: int | None = None):
    laureate = _owned(Laureate, laureate_id) if laureate_id else None
    nomination = laureate.nomination if laureate else _owned(Nomination, nomination_id)
    form = _laureate_form(obj=laureate)
    if laureate is not None and not form.is_submitted():
        for key in ("person_id", "organisation_id", "presenter_id"):
            getattr(form, key).data = getattr(laureate, key) or 0
    if form.validate_on_submit():
        laureate = laureate or Laureate(nomination_id=nomination.id, position=len(nomination.laureates))
        laureate.person_id = form.person_id.data or None
        laureate.organisation_id = form.organisation_id.data or None
        laureate.presenter_id = form.presenter_id.data or None
        laureate.place, laureate.citation = form.place.data, form.citation.data
        db.session.add(laureate)
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".nomination", nomination_id=nomination.id))
    db.session.rollback()
    if laureate is None:  # a rejected new laureate: show the nomination page with the errors
        return render_template("awards/nomination.html", event=g.event, nomination=nomination,
                               form=NominationForm(obj=nomination), laureate_form=form), 400
    return render_template("awards/laureate.html", event=g.event, laureate=laureate, form=form)


@bp.route("/nominations/<int:nomination_id>/move", methods=["POST"])
def move_nomination(nomination_id: int):
    nomination = _owned(Nomination, nomination_id)
    move_one_place(nomination.ceremony.nominations, nomination, offset_of(request.form.get("direction")))
    db.session.commit()
    return redirect(url_for(".ceremony", item_id=nomination.ceremony.item_id))


@bp.route("/laureates/<int:laureate_id>/move", methods=["POST"])
def move_laureate(laureate_id: int):
    laureate = _owned(Laureate, laureate_id)
    move_one_place(laureate.nomination.laureates, laureate, offset_of(request.form.get("direction")))
    db.session.commit()
    return redirect(url_for(".ceremony", item_id=laureate.nomination.ceremony.item_id))


@bp.route("/nominations/<int:nomination_id>/delete", methods=["POST"])
def delete_nomination(nomination_id: int):
    nomination = _owned(Nomination, nomination_id)
    item_id = nomination.ceremony.item_id
    db.session.delete(nomination)
    db.session.commit()
    flash(_("Deleted."))
    return redirect(url_for(".ceremony", item_id=item_id))


@bp.route("/laureates/<int:laureate_id>/delete", methods=["POST"])
def delete_laureate(laureate_id: int):
    laureate = _owned(Laureate, laureate_id)
    nomination_id = laureate.nomination_id
    db.session.delete(laureate)
    db.session.commit()
    flash(_("Deleted."))
    return redirect(url_for(".nomination", nomination_id=nomination_id))


# ---- certificates -----------------------------------------------------------------------------


@bp.route("/issue", methods=["POST"])
def issue():
    kind = request.form.get("kind")
    if kind not in CERTIFICATE_KINDS:
        abort(400)
    scope = {"ceremony_item_id": request.form.get("ceremony_item_id", type=int)}
    created = services.issue(g.event, kind, scope)
    if created:
        flash(_("%(count)d certificates issued: %(first)s – %(last)s.", count=len(created),
                first=created[0].number, last=created[-1].number))
    else:
        flash(_("Everyone here already has a valid certificate."))
    return redirect(safe_next(request.form.get("next"), url_for(".certificates", kind=kind)))


@bp.route("/certificates")
def certificates():
    wanted = listing.CertificateFilter.from_args(request.args, services.ceremony_items(g.event))
    shown, has_next, total = listing.certificate_page(g.event, wanted)
    return render_template("awards/certificates.html", event=g.event, certificates=shown, wanted=wanted,
                           has_next=has_next, total=total, kinds=CERTIFICATE_KINDS,
                           ceremonies=services.ceremony_items(g.event))


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
def revoke(certificate_id: int):
    certificate = _owned(Certificate, certificate_id)
    services.revoke(certificate)
    flash(_("Certificate %(number)s is revoked.", number=certificate.number))
    return redirect(url_for(".certificates", kind=certificate.kind))


@bp.route("/certificates/<int:certificate_id>/reissue", methods=["POST"])
def reissue(certificate_id: int):
    certificate = _owned(Certificate, certificate_id)
    replacement = services.reissue(certificate)
    flash(_("Certificate %(old)s is revoked and reissued as %(new)s.", old=certificate.number,
            new=replacement.number))
    return redirect(url_for(".certificates", kind=certificate.kind))


def _design_from_request(ceremony_item_id: int | None = None):
    """The design asked for, else the ceremony's, else the event's first, else the built-in one."""
    design_id = request.values.get("design_id", type=int)
    if not design_id and ceremony_item_id:
        design_id = services.ceremony_of_event_or_404(g.event, ceremony_item_id).design_id
    return services.design_for(g.event, design_id)


@bp.route("/certificates/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    certificate = _owned(Certificate, certificate_id)
    prepared = prepare(g.event, [certificate], _design_from_request(), public_base_url())
    try:
        rendered = print_prepared(*prepared[:4], parallel=False)
    except DesignError as error:
        return render_template("error.html", error=_("The certificate design failed: %(error)s", error=str(error)),
                               code=422), 422
    return _pdf(rendered.data, f"{certificate.number}.pdf", rendered.refused_urls)


@bp.route("/print", methods=["POST"])
def print_batch():
    """Certificates of a ceremony, a nomination or a kind as one PDF, in ceremony order.
    Small batches are printed at once; larger ones in the background."""
    event = g.event
    kind = request.form.get("kind", "award")
    if kind not in CERTIFICATE_KINDS:
        abort(400)
    item_id = request.form.get("ceremony_item_id", type=int)
    nomination_id = request.form.get("nomination_id", type=int)
    variant = "pdf/a-3b" if request.form.get("archive") == "1" else ""
    chosen = services.certificates_for(event, kind=kind, ceremony_item_id=item_id, nomination_id=nomination_id)
    if not chosen:
        flash(_("There are no valid certificates to print here yet; issue them first."), "error")
        return redirect(safe_next(request.form.get("next"), url_for(".overview")))
    design = _design_from_request(item_id)
    prepared = prepare(event, chosen, design, public_base_url())
    for warning in prepared[4]:
        flash(warning, "warning")
    scope = f"{kind}:{item_id or ''}:{nomination_id or ''}"
    try:
        if len(chosen) <= INLINE_LIMIT and request.form.get("background") != "1":
            rendered = print_prepared(*prepared[:4], pdf_variant=variant or None, parallel=False)
            return _pdf(rendered.data, f"{event.slug}-{kind}-certificates.pdf", rendered.refused_urls)
        job = jobs.find_or_start(event.id, scope, prepared, variant, certificates=chosen, design_id=design.id,
                                 base_url=public_base_url())
    except DesignError as error:
        flash(_("The certificate design failed: %(error)s", error=str(error)), "error")
        return redirect(url_for(".overview"))
    return redirect(url_for(".job", job_id=job.id))


def _job(job_id: int) -> PrintJob:
    return of_event_or_404(PrintJob, job_id, g.event)


@bp.route("/jobs/<int:job_id>")
def job(job_id: int):
    return render_template("awards/job.html", event=g.event, job=_job(job_id))


@bp.route("/jobs/<int:job_id>.json")
def job_status(job_id: int):
    job = _job(job_id)
    return job_pages.status_response(job, url_for(".job_download", job_id=job.id))


@bp.route("/jobs/<int:job_id>/download")
def job_download(job_id: int):
    return job_pages.result_response(_job(job_id), f"{g.event.slug}-certificates-{job_id}.pdf")

# ---- designs --------------------------------------------------------------------------------


@bp.route("/designs/new", methods=["GET", "POST"])
@bp.route("/designs/<int:design_id>", methods=["GET", "POST"])
def design(design_id: int | None = None):
    event = g.event
    if design_id:
        design = _owned(services.CertificateDesign, design_id)
    else:
        design = services.CertificateDesign(event_id=event.id, name="", base="classic_landscape", languages="kk,ru",
                                            colours=dict(services.DEFAULT_COLOURS), texts={}, signatories=[])
    form = DesignForm()
    if not form.is_submitted():
        form.load(design)
    if form.validate_on_submit():
        stored = form.store_uploads()
        form.save(design)
        error = _check_design(design)
        try:
            if error:
                (form.custom_css if design.custom_css and not design.custom_html else form.custom_html).errors.append(
                    _("The template failed with real data: %(error)s", error=error))
                raise _NotSaved
            db.session.add(design)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            for image in stored:  # one action: no files left behind by a design that was not saved
                delete_image(image.path)
            if not error:
                raise
        else:
            flash(_("Saved."))
            return redirect(url_for(".design", design_id=design.id))
    else:
        db.session.rollback()
    return render_template("awards/design.html", event=event, design=design, form=form)


class _NotSaved(Exception):
    pass


def _check_design(design) -> str | None:
    """The save check (forumapp.awards.design_check): stored on the design, the error if any."""
    return design_check.check_design(g.event, design, public_base_url())


@bp.route("/designs/<int:design_id>/check", methods=["POST"])
def check_again(design_id: int):
    """Check a saved design again with today's data (new laureates, longer names)."""
    design = _owned(services.CertificateDesign, design_id)
    error = _check_design(design)
    db.session.commit()
    if error:
        flash(_("The template failed with real data: %(error)s", error=error), "error")
    else:
        flash(_("The design was checked with today's data."))
    return redirect(url_for(".design", design_id=design.id))


@bp.route("/designs/<int:design_id>/preview.pdf")
def design_preview(design_id: int):
    """The PDF stored by the last check; a GET never renders the design."""
    design = _owned(services.CertificateDesign, design_id)
    if not design.preview_pdf:
        abort(404)
    response = _pdf(design.preview_pdf, "preview.pdf", (design.check_notes or {}).get("refused"))
    # Shown in a frame on the design page (this site only).
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/c/<int:item_id>/design", methods=["POST"])
def choose_design(item_id: int):
    ceremony = services.ceremony_of_event_or_404(g.event, item_id)
    design_id = request.form.get("design_id", type=int)
    ceremony.design_id = _owned(services.CertificateDesign, design_id).id if design_id else None
    db.session.commit()
    return redirect(url_for(".ceremony", item_id=item_id))


# ---- public pages -----------------------------------------------------------------------------


def _results_event() -> tuple[str, object]:
    """The page cache's scope for a results page: the event, loaded before the cache is asked."""
    g.event = public_event_or_404(request.view_args["slug"])
    return event_pages()


@public_bp.route("/e/<slug>/awards/<int:item_id>")
@cached_public(_results_event)
def results(slug: str, item_id: int):
    event = g.event
    g.content_fallback = event.fallback_order
    ceremony = services.ceremony_of_event_or_404(event, item_id)
    if not ceremony.results_published or ceremony.item.status != "published":
        abort(404)
    ceremony = services.load_ceremony(ceremony.id)
    db.session.commit()
    return render_template("awards/results.html", event=event, ceremony=ceremony, item=ceremony.item,
                           PLACE_LABELS=PLACE_LABELS)


@public_bp.route("/verify/<code>")
@certificate_lookup
def verify(code: str):
    certificate = services.certificate_by_code(code)
    if certificate is None:
        abort(404)
    g.content_fallback = certificate.event.fallback_order
    replacement = db.session.get(Certificate, certificate.replaced_by_id) if certificate.replaced_by_id else None
    return render_template("awards/verify.html", certificate=certificate, event=certificate.event,
                           replacement=replacement, PLACE_LABELS=PLACE_LABELS,
                           CERTIFICATE_KIND_LABELS=CERTIFICATE_KIND_LABELS)

from forumapp.awards import bulk_views  # noqa: E402,F401  (its routes join this blueprint)
