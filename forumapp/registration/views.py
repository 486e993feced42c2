"""Registration: the public form, the participant's private page, and (manage_views) organisers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forumapp.extensions import limiter
from forumapp.rate_limits import public_render
from forumapp.registration import (  # noqa: F401  (e-mail sent after commit)
    details,
    newcomers,
    sending,
    services,
)
from forumapp.registration.forms import (
    ResendForm,
    answers_from,
    fill_answers,
    registration_form,
    set_item_choices,
)
from forumapp.registration.manage_views import bp as manage_bp

bp = Blueprint("registration", __name__)
blueprints = [bp, manage_bp]

RATE_LIMIT = "30 per minute; 300 per hour"


@bp.record_once
def template_globals(state):
    from forumapp.registration.labels import MESSAGE_STATUS_LABELS, STATUS_LABELS
    from forumapp.timeutil import utcnow

    state.app.add_template_global(STATUS_LABELS, "REG_STATUS_LABELS")
    state.app.add_template_global(MESSAGE_STATUS_LABELS, "MESSAGE_STATUS_LABELS")
    state.app.add_template_global(utcnow, "now_utc")


@bp.url_value_preprocessor
def load_public_event(endpoint, values):
    if values and "slug" in values:
        event, g.registration_settings = services.public_event_and_settings(values["slug"])
        if event is None:
            abort(404)
        g.event = event
        g.content_fallback = event.fallback_order
        g.event_default_locale = event.default_locale


def _form(event, registration, **kwargs):
    return registration_form(
        services.public_categories(event, keep=registration.category_id), services.questions(event),
        services.signup_items(event), **kwargs,
    )


def _applicant(form, email="", consent=True) -> services.Applicant:
    return services.Applicant(
        full_name=form.full_name.data,
        email=email,
        consent=consent,
        phone=form.phone.data or "",
        organisation_name=form.organisation_name.data or "",
        position=form.position.data or "",
        city=form.city.data or "",
        category_id=form.category.data,
        locale=form.locale.data,
        answers=answers_from(form),
        item_ids=form.items.data or [],
    )


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def register(slug: str):
    event = g.event
    settings = g.registration_settings
    if not settings.is_open():
        return render_template("registration/closed.html", event=event, settings=settings), (
            200 if request.method == "GET" else 409
        )
    # The items that take sign-ups are needed to show the form, but a submit that chose none is
    # valid without them; they are loaded if the page is shown again.
    items = services.signup_items(event) if request.method == "GET" or request.form.getlist("items") else None
    categories = services.public_categories(event)
    form = registration_form(categories, services.questions(event), items or [])

    def page(template, status, **extra):
        nonlocal items
        if items is None:
            items = services.signup_items(event)
            set_item_choices(form, items)
        return render_template(
            template, event=event, settings=settings, form=form, item_counts=services.item_counts(event) if items else {},
            items={i.id: i for i in items}, resend=extra.pop("resend", None) or ResendForm(formdata=None),
            places=services.places_left(event, settings), **extra,
        ), status

    if form.validate_on_submit():
        try:
            registration, _created = newcomers.register(
                event, _applicant(form, form.email.data, form.consent.data), nonce=form.nonce.data or None,
                settings=settings, items=items or [], categories=categories,
            )
        except services.DuplicateEmail:
            form.email.errors.append(_("This e-mail address is already registered for this event."))
            return page("registration/register.html", 409, duplicate=True,
                        resend=ResendForm(formdata=None, email=form.email.data))
        except services.RegistrationClosed:
            return page("registration/closed.html", 409)
        except services.RegistrationError:  # a category that is no longer the event's
            form.category.errors.append(_("Not a valid choice."))
            return page("registration/register.html", 400)
        return redirect(url_for(".manage_registration", slug=event.slug, token=registration.token, new=1))
    return page("registration/register.html", 400 if form.is_submitted() else 200)


@bp.route("/e/<slug>/register/resend", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def resend(slug: str):
    event = g.event
    form = ResendForm()
    if not form.validate_on_submit():
        flash(_("Enter the e-mail address you registered with."), "error")
        return redirect(url_for(".register", slug=event.slug))
    services.resend_link(event, form.email.data)
    # The same answer either way: the link goes only to the stored address, never to the page.
    flash(_("If this address is registered, we have sent the private link to it."))
    return redirect(url_for(".register", slug=event.slug))


def _own_registration_or_404(event, token):
    registration = services.find_by_token(event, token)
    if registration is None:
        abort(404)
    return registration


@bp.route("/e/<slug>/r/<token>", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def manage_registration(slug: str, token: str):
    event = g.event
    registration = _own_registration_or_404(event, token)
    # Once registration closes the participant still sees the registration and the ticket and
    # may cancel, but details and item choices are no longer changed.
    editable = registration.is_active and g.registration_settings.is_open()
    form = _form(event, registration, editing=True, obj=registration if request.method == "GET" else None)
    if request.method == "GET":
        form.category.data = registration.category_id
        form.items.data = [s.item_id for s in registration.signups if s.status != "cancelled"]
        fill_answers(form, registration.answers)
    status = 200
    if request.method == "POST" and registration.is_active and not editable:
        status = 409
    elif editable and form.validate_on_submit():
        try:
            back_to_review = services.update_details(registration, _applicant(form))
        except services.RegistrationClosed:
            editable, status = False, 409
        except services.RegistrationError:
            abort(409)
        else:
            if back_to_review:
                flash(_("Your changes are saved. Changes of category are approved by the organisers, so your "
                        "registration is back under review; we will write to you."), "warning")
            else:
                flash(_("Your changes are saved."))
            return redirect(url_for(".manage_registration", slug=event.slug, token=token))
    elif form.is_submitted():
        status = 400
    from forumapp.awards.services import certificates_of_registration

    return render_template(
        "registration/mine.html",
        event=event,
        registration=registration,
        form=form,
        editable=editable,
        refused=status == 409,
        settings=g.registration_settings,
        position=services.waiting_position(registration),
        new=request.args.get("new") == "1",
        my_items=details.my_items(registration),
        map_url=details.map_url(event),
        venue=details.venue_text(event),
        certificates=certificates_of_registration(registration),
    ), status


@bp.route("/e/<slug>/r/<token>/again", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def register_again(slug: str, token: str):
    """A participant who cancelled registers again from their private page."""
    event = g.event
    registration = _own_registration_or_404(event, token)
    from forumapp.forms import BaseForm

    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        status = services.register_again(registration)
    except services.RegistrationClosed:
        flash(_("Registration is closed, so you cannot register again."), "error")
        return redirect(url_for(".manage_registration", slug=event.slug, token=token), 303)
    except services.RegistrationError:
        flash(_("This registration is not cancelled."), "error")
        return redirect(url_for(".manage_registration", slug=event.slug, token=token), 303)
    flash({
        "confirmed": _("You are registered again and your place is confirmed. Choose your programme items again below."),
        "waiting": _("You are registered again. All places are taken, so you are on the waiting list."),
        "pending": _("You are registered again. The organisers will review your registration and write to you."),
    }[status])
    return redirect(url_for(".manage_registration", slug=event.slug, token=token), 303)


@bp.route("/e/<slug>/r/<token>/calendar.ics")
@public_render
def my_calendar(slug: str, token: str):
    """The participant's own calendar: the event and the items they signed up for."""
    from forumapp.downloads import download
    from forumapp.i18n import current_language

    registration = _own_registration_or_404(g.event, token)
    if not registration.is_active:
        abort(404)
    data = details.personal_calendar(registration, current_language())
    response = download(data, "text/calendar; charset=utf-8", f"{g.event.slug}.ics")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/e/<slug>/r/<token>/certificates/<int:certificate_id>.pdf")
@public_render  # a PDF costs WeasyPrint a tenth of a second or more
def my_certificate(slug: str, token: str, certificate_id: int):
    """A certificate issued to this participant, as the organisers' design prints it."""
    from forumapp.awards import services as awards
    from forumapp.awards.printing import prepare, print_prepared
    from forumapp.awards.rendering import DesignError
    from forumapp.downloads import download
    from forumapp.urls import public_base_url

    event = g.event
    registration = _own_registration_or_404(event, token)
    certificate = next((c for c in awards.certificates_of_registration(registration) if c.id == certificate_id), None)
    if certificate is None:
        abort(404)
    try:
        rendered = print_prepared(*prepare(event, [certificate], awards.design_for(event), public_base_url())[:4],
                                  parallel=False)
    except DesignError:
        abort(503)
    response = download(rendered.data, "application/pdf", f"{certificate.number}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/e/<slug>/r/<token>/cancel", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def cancel_registration(slug: str, token: str):
    event = g.event
    registration = _own_registration_or_404(event, token)
    from forumapp.forms import BaseForm

    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.cancel(registration)
    except services.RegistrationError:
        flash(_("This registration is already cancelled."), "error")
        return redirect(url_for(".manage_registration", slug=event.slug, token=token))
    flash(_("Your registration is cancelled."))
    return redirect(url_for(".manage_registration", slug=event.slug, token=token))
