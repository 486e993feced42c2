"""Tickets, name badges and check-in: the participant's ticket PDF and the organisers' pages."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forumapp.accounts.models import CHECKIN_STAFF, ORGANISER
from forumapp.awards import job_pages
from forumapp.awards.labels import JOB_STATUS_LABELS
from forumapp.awards.models import PrintJob, PrintJobKind
from forumapp.downloads import content_disposition
from forumapp.extensions import db
from forumapp.lookups import of_event_or_404
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.programme.services import event_or_404
from forumapp.rate_limits import public_render
from forumapp.registration import (
    badge_jobs,
    ticket_mail,  # noqa: F401  (tickets attached to e-mails)
)
from forumapp.registration import badges as badge_service
from forumapp.registration import checkin as service
from forumapp.registration.labels import STATUS_LABELS as REGISTRATION_STATUS_LABELS
from forumapp.registration.models import ParticipantCategory, Registration
from forumapp.registration.tickets import ticket_filename, ticket_pdf
from forumapp.timeutil import to_local, utcnow

public_bp = Blueprint("registration_ticket", __name__)
# Check-in staff may use the check-in desk itself; everything else here needs the organiser role.
bp = organiser_pages(
    Blueprint("registration_checkin", __name__, url_prefix="/manage"), staff_endpoints=("checkin", "scan", "counts")
)
blueprints = [public_bp, bp]


def _pdf_response(pdf, filename: str, *, inline: bool = True):
    return pdf.data, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": content_disposition(filename, inline=inline),
        "Cache-Control": "private, no-store",
    }


# ---- the participant's ticket ----------------------------------------------------------------


@public_bp.url_value_preprocessor
def load_event_for_ticket(endpoint, values):
    if values and "slug" in values:
        g.event = event_or_404(values.pop("slug"))
        g.content_fallback = g.event.fallback_order
        g.event_default_locale = g.event.default_locale


@public_bp.route("/e/<slug>/r/<token>/ticket.pdf")
@public_render  # a PDF costs a tenth of a second to make
def ticket(token: str):
    registration = db.session.scalar(db.select(Registration).filter_by(token=token, event_id=g.event.id))
    if registration is None:
        abort(404)
    if registration.status != "confirmed":
        return render_template("registration/ticket_unavailable.html", event=g.event, registration=registration), 409
    return _pdf_response(ticket_pdf(registration), ticket_filename(g.event))


# ---- organisers and check-in staff -----------------------------------------------------------


@bp.url_value_preprocessor
def event_languages(endpoint, values):
    """Runs after organiser_pages has loaded the event: its content in the event's fallback order."""
    if getattr(g, "event", None) is not None:
        g.content_fallback = g.event.fallback_order


@bp.app_template_global()
def checkin_desk_events() -> list[Event]:
    """Events where the signed-in user is check-in staff (the events page links their desks)."""
    if not current_user.is_authenticated or current_user.is_admin:
        return []
    from forumapp.accounts.models import EventRole

    return list(db.session.scalars(
        db.select(Event).join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == current_user.id, EventRole.role == CHECKIN_STAFF)
        .order_by(Event.starts_on.desc())
    ))


def _door_item() -> ProgrammeItem | None:
    """?item= / item=: check-in at one item's door (only items that have door check-in)."""
    item_id = request.values.get("item", type=int)
    if not item_id:
        return None
    return of_event_or_404(ProgrammeItem, item_id, g.event, door_checkin=True)


def local_clock(event: Event, utc: datetime | None) -> str:
    """HH:MM in the event's time zone, with the day if it was not today."""
    if utc is None:
        return ""
    local = to_local(utc, event.timezone)
    if local.date() != to_local(utcnow(), event.timezone).date():
        return local.strftime("%d.%m %H:%M")
    return local.strftime("%H:%M")


def result_message(result: service.ScanResult, event: Event) -> str:
    messages = {
        service.CHECKED_IN: lambda: _("Checked in"),
        service.ALREADY: lambda: _("Already checked in at %(time)s", time=local_clock(event, result.checked_in_at)),
        service.CANCELLED: lambda: _("Registration cancelled: do not admit"),
        service.WAITING: lambda: _("On the waiting list: not confirmed"),
        service.PENDING: lambda: _("Registration not confirmed yet"),
        service.REJECTED: lambda: _("Registration rejected"),
        service.OTHER_EVENT: lambda: _(
            "Ticket for another event: %(event)s",
            event=result.other_event.display_title if result.other_event else "?",
        ),
        service.INVALID: lambda: _("Unknown or forged ticket"),
        service.NOT_SIGNED_UP: lambda: _("Not signed up for this item"),
        service.ITEM_WAITING: lambda: _("On this item's waiting list: no confirmed place"),
    }
    return messages[result.result]()


def result_payload(result: service.ScanResult, event: Event, item: ProgrammeItem | None) -> dict:
    registration = result.registration
    payload = {
        "result": result.result,
        "ok": result.ok,
        "message": result_message(result, event),
        "checked_in_at": local_clock(event, result.checked_in_at) if result.checked_in_at else None,
        "counts": service.counts(event, item),
    }
    if registration is not None:
        payload.update(
            registration_id=registration.id,
            name=registration.full_name,
            organisation=registration.organisation_name,
            category=registration.category.display_name if registration.category else "",
        )
    return payload


def _checkin_page(item, *, result=None, status=200):
    event = g.event
    # The search is kept after a check-in from its results (the form sends it along).
    query = request.values.get("q", "").strip()[:200]
    found = service.search(event, query) if query else []
    item_signups = service.item_signups_checked_in(item, [r.id for r in found]) if item else {}
    door_items = db.session.scalars(
        db.select(ProgrammeItem).filter_by(event_id=event.id, door_checkin=True).order_by(ProgrammeItem.starts_at)
    ).all()
    return render_template(
        "registration/checkin.html",
        event=event,
        item=item,
        door_items=door_items,
        query=query,
        found=found,
        item_signups=item_signups,
        result=result,
        counts=service.counts(event, item),
        is_organiser=current_user.has_event_role(event.id, ORGANISER),
        status_labels=REGISTRATION_STATUS_LABELS,
        local_clock=lambda utc: local_clock(event, utc),
    ), status


@bp.route("/e/<slug>/checkin")
def checkin():
    return _checkin_page(_door_item())


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.route("/e/<slug>/checkin", methods=["POST"])
def scan():
    """A scanned code (camera, USB scanner typing into the field) or a person picked in the
    search. JSON for the page's script, the page itself without JavaScript."""
    event = g.event
    item = _door_item()
    # The answer is built from what this request read and wrote; nothing needs reading again
    # after the commit (this session ends with the request).
    db.session().expire_on_commit = False
    at = service.scanned_at(request.form.get("scanned_at"))  # a scan queued while offline
    registration_id = request.form.get("registration_id", type=int)
    if registration_id:
        registration = of_event_or_404(Registration, registration_id, event)
        result = service.check_in_at_item(item, registration, at) if item else service.check_in(
            event, registration, current_user.id, at
        )
    elif not request.form.get("code", "").strip():  # Enter in an empty field
        if _wants_json():
            abort(400)
        return redirect(url_for(".checkin", **({"item": item.id} if item else {})))
    else:
        result = service.scan(event, request.form.get("code", ""), current_user.id, item, at)
    payload = result_payload(result, event, item)
    if _wants_json():
        return jsonify(payload)
    return _checkin_page(item, result=payload)


@bp.route("/e/<slug>/checkin/counts")
def counts():
    return jsonify(service.counts(g.event, _door_item()))


@bp.route("/e/<slug>/checkin/<int:registration_id>/undo", methods=["POST"])
def undo(registration_id: int):
    of_event_or_404(Registration, registration_id, g.event)  # another event's id is as good as missing
    item = _door_item()
    if service.undo_check_in(g.event, registration_id, item):
        flash(_("The check-in was undone."))
    else:
        flash(_("There was no check-in to undo."), "error")
    back = {"item": item.id} if item else {}
    if request.form.get("q"):
        back["q"] = request.form["q"]
    return redirect(url_for(".checkin", **back))


# ---- tickets and badges for organisers -------------------------------------------------------


@bp.route("/e/<slug>/registrations/<int:registration_id>/ticket.pdf")
def organiser_ticket(registration_id: int):
    registration = of_event_or_404(Registration, registration_id, g.event)
    if registration.status != "confirmed":
        return render_template("registration/ticket_unavailable.html", event=g.event, registration=registration), 409
    return _pdf_response(ticket_pdf(registration), ticket_filename(g.event))


@bp.route("/e/<slug>/badges")
def badges():
    categories = db.session.scalars(
        db.select(ParticipantCategory).filter_by(event_id=g.event.id).order_by(ParticipantCategory.position)
    ).all()
    return render_template(
        "registration/badges.html",
        event=g.event,
        categories=categories,
        layouts=badge_service.LAYOUTS,
        orders=badge_service.ORDERS,
        statuses=badge_service.STATUS_FILTERS,
        inline_limit=badge_jobs.INLINE_LIMIT,
    )


@bp.route("/e/<slug>/badges.pdf", methods=["GET", "POST"])
def badges_pdf():
    """The batch as one PDF: within the request up to badge_jobs.INLINE_LIMIT badges; a larger
    batch is printed by a worker (from the page's form, a POST) and followed on its job page."""
    options = badge_service.BadgeOptions.from_args(request.values)
    if options is None:
        abort(400)
    registrations = badge_service.badge_registrations(g.event, options)
    if not registrations:
        flash(_("No participants match this choice: there are no badges to print."), "error")
        return redirect(url_for(".badges"))
    if len(registrations) > badge_jobs.INLINE_LIMIT:
        if request.method != "POST":  # a link or bookmark does not start a print job
            flash(_("%(count)s badges: print them with the button below; the PDF is made in the background.",
                    count=len(registrations)), "warning")
            return redirect(url_for(".badges"))
        job = badge_jobs.start(g.event, registrations, options)
        return redirect(url_for(".badge_job", badge_job_id=job.id), code=303)
    pdf = badge_service.badges_pdf(g.event, registrations, options)
    return _pdf_response(pdf, f"badges-{g.event.slug}-{options.layout}.pdf")


def _badge_job(badge_job_id: int) -> PrintJob:
    job = of_event_or_404(PrintJob, badge_job_id, g.event)
    if job.kind != PrintJobKind.BADGES:
        abort(404)
    return job


@bp.route("/e/<slug>/badges/jobs/<int:badge_job_id>")
def badge_job(badge_job_id: int):
    job = _badge_job(badge_job_id)
    return render_template("registration/badge_job.html", event=g.event, job=job,
                           status_label=JOB_STATUS_LABELS.get(job.status, job.status))


@bp.route("/e/<slug>/badges/jobs/<int:badge_job_id>.json")
def badge_job_status(badge_job_id: int):
    job = _badge_job(badge_job_id)
    return job_pages.status_response(job, url_for(".badge_job_download", badge_job_id=job.id))


@bp.route("/e/<slug>/badges/jobs/<int:badge_job_id>/download")
def badge_job_download(badge_job_id: int):
    job = _badge_job(badge_job_id)
    return job_pages.result_response(job, f"badges-{g.event.slug}-{job.options['badge']['layout']}.pdf")
