"""Organisers' pages: registrations (search, filters, actions, exports), per-item lists, settings,
categories, questions and the e-mail outbox."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from forumapp.downloads import download
from forumapp.extensions import db
from forumapp.forms import BaseForm
from forumapp.lookups import of_event_or_404
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.models import ProgrammeItem
from forumapp.registration import exports, outbox, sending, services
from forumapp.registration.forms import (
    CategoryForm,
    QuestionForm,
    RegistrationCategoryForm,
    SettingsForm,
    format_choices,
    parse_choices,
)
from forumapp.registration.labels import STATUS_LABELS
from forumapp.registration.models import (
    REGISTRATION_STATUSES,
    ItemSignup,
    OutgoingMessage,
    ParticipantCategory,
    Question,
    Registration,
)
from forumapp.timeutil import to_local, to_utc
from forumapp.urls import safe_next

bp = organiser_pages(Blueprint("registration_manage", __name__, url_prefix="/manage", cli_group="outbox"))

ACTIONS = {
    "approve": services.approve,
    "reject": services.reject,
    "promote": services.promote,
    "overbook": partial(services.promote, beyond_capacity=True),
    "cancel": services.cancel,
    "to_waiting": services.move_to_waiting,
    "up": partial(services.move_on_waiting_list, where="up"),
    "down": partial(services.move_on_waiting_list, where="down"),
    "top": partial(services.move_on_waiting_list, where="top"),
}
WAITING_LIST_MOVES = ("up", "down", "top")


def _is_full(event, settings) -> bool:
    return settings.capacity is not None and services.confirmed_count(event.id) >= settings.capacity


def filtered_registrations(event, args) -> list[Registration]:
    query = (
        db.select(Registration)
        .filter_by(event_id=event.id)
        .options(selectinload(Registration.signups), selectinload(Registration.category))
    )
    text = (args.get("q") or "").strip()[:200]
    if text:
        query = query.where(
            services.contains_text((Registration.full_name, Registration.organisation_name, Registration.email), text)
        )
    if args.get("status") in REGISTRATION_STATUSES:
        query = query.where(Registration.status == args["status"])
    category = args.get("category", type=int)
    if category:
        query = query.where(Registration.category_id == category)
    item = args.get("item", type=int)
    if item:
        query = query.where(
            Registration.id.in_(
                db.select(ItemSignup.registration_id).where(ItemSignup.item_id == item, ItemSignup.status != "cancelled")
            )
        )
    query = query.order_by(
        db.case({"confirmed": 0, "pending": 1, "waiting": 2}, value=Registration.status, else_=3),
        Registration.waiting_since,
        Registration.id,
    )
    return list(db.session.scalars(query))


@bp.route("/e/<slug>/registrations")
def registrations():
    event = g.event
    settings = services.settings_for(event)
    counts = services.status_counts(event)
    return render_template(
        "registration/manage/list.html",
        event=event,
        settings=settings,
        registrations=filtered_registrations(event, request.args),
        counts=counts,
        full=settings.capacity is not None and counts.get("confirmed", 0) >= settings.capacity,
        positions=services.waiting_numbers(event),
        categories=services.categories(event),
        items=services.signup_items(event),
        item_counts=services.item_counts(event),
        statuses=REGISTRATION_STATUSES,
        action_form=BaseForm(),
        args=request.args,
    )


def _registration_or_404(reg_id: int) -> Registration:
    return of_event_or_404(Registration, reg_id, g.event)


@bp.route("/e/<slug>/registrations/<int:reg_id>/<action>", methods=["POST"])
def registration_action(reg_id: int, action: str):
    if action not in ACTIONS or not BaseForm().validate_on_submit():
        abort(400)
    registration = _registration_or_404(reg_id)
    try:
        number = ACTIONS[action](registration)
    except services.EventFull as full:
        flash(_("No place is free: %(taken)s of %(capacity)s places are confirmed. Move someone to the waiting list or "
                "raise the capacity first, or confirm beyond capacity.", taken=full.taken, capacity=full.capacity), "error")
    except services.AtTheEnd as end:
        if end.first:
            flash(_("%(name)s is already first on the waiting list.", name=registration.full_name), "error")
        else:
            flash(_("%(name)s is already last on the waiting list.", name=registration.full_name), "error")
    except services.RegistrationError:
        flash(_("This action does not apply to this registration now."), "error")
    else:
        if action in WAITING_LIST_MOVES:
            flash(_("Done: %(name)s is now number %(n)s on the waiting list.", name=registration.full_name, n=number))
        else:
            flash(_("Done: %(name)s is now %(status)s.", name=registration.full_name,
                    status=STATUS_LABELS[registration.status]))
    return redirect(safe_next(request.form.get("next"), url_for(".registrations")))


def _category_form(registration, **kwargs) -> RegistrationCategoryForm:
    form = RegistrationCategoryForm(**kwargs)
    form.category.choices = [(c.id, c.display_name) for c in services.categories(g.event)]
    return form


@bp.route("/e/<slug>/registrations/<int:reg_id>/category", methods=["POST"])
def registration_category(reg_id: int):
    """Organisers give any category, the non-public ones included, without a new approval."""
    registration = _registration_or_404(reg_id)
    form = _category_form(registration)
    if not form.validate_on_submit():
        abort(400)
    services.set_category(registration, form.category.data)
    flash(_("Saved."))
    return redirect(url_for(".registration_detail", reg_id=registration.id))


@bp.route("/e/<slug>/registrations/<int:reg_id>")
def registration_detail(reg_id: int):
    registration = _registration_or_404(reg_id)
    return render_template(
        "registration/manage/detail.html",
        event=g.event,
        registration=registration,
        answers=exports.answer_texts(registration, services.questions(g.event)),
        position=services.waiting_position(registration),
        full=_is_full(g.event, services.settings_for(g.event)),
        action_form=BaseForm(),
        category_form=_category_form(registration, formdata=None, category=registration.category_id),
    )


@bp.route("/e/<slug>/registrations/items/<int:item_id>")
def item_signups(item_id: int):
    item = of_event_or_404(ProgrammeItem, item_id, g.event)
    signups = db.session.scalars(
        db.select(ItemSignup)
        .filter_by(item_id=item.id)
        .options(selectinload(ItemSignup.registration))
        .order_by(
            db.case({"confirmed": 0, "waiting": 1}, value=ItemSignup.status, else_=2),
            ItemSignup.waiting_since,
            ItemSignup.id,
        )
    ).all()
    return render_template(
        "registration/manage/item.html", event=g.event, item=item, signups=signups, action_form=BaseForm()
    )


@bp.route("/e/<slug>/registrations/signups/<int:signup_id>/<action>", methods=["POST"])
def signup_action(signup_id: int, action: str):
    if action not in ("promote", "cancel") or not BaseForm().validate_on_submit():
        abort(400)
    signup = db.session.get(ItemSignup, signup_id)
    if signup is None or signup.item.event_id != g.event.id:
        abort(404)
    try:
        (services.promote_signup if action == "promote" else services.cancel_signup)(signup)
    except services.RegistrationError:
        flash(_("This action does not apply to this registration now."), "error")
    return redirect(url_for(".item_signups", item_id=signup.item_id))


@bp.route("/e/<slug>/registrations/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    event = g.event
    rows = exports.table(event, filtered_registrations(event, request.args))
    if fmt == "csv":
        body, mime = exports.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, mime = exports.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download(body, mime, f"{event.slug}-registrations.{fmt}")


# ---- settings ------------------------------------------------------------------------------


def _local_naive(utc: datetime | None, tz: str) -> datetime | None:
    return to_local(utc, tz).replace(tzinfo=None) if utc else None


@bp.route("/e/<slug>/registration/settings", methods=["GET", "POST"])
def settings():
    event = g.event
    current = services.settings_for(event)
    items = [i for i in db.session.scalars(
        db.select(ProgrammeItem).filter_by(event_id=event.id).order_by(ProgrammeItem.starts_at, ProgrammeItem.id)
    )]
    form = SettingsForm(
        data=None if request.method == "POST" else {
            "opens_at": _local_naive(current.opens_at, event.timezone),
            "closes_at": _local_naive(current.closes_at, event.timezone),
            "capacity": current.capacity,
            "requires_approval": current.requires_approval,
            "signup_items": [i.id for i in items if i.takes_signups],
        }
    )
    form.signup_items.choices = [(i.id, f"{i.display_title} ({i.capacity if i.capacity is not None else '∞'})") for i in items]
    if form.validate_on_submit():
        current.opens_at = to_utc(form.opens_at.data, event.timezone) if form.opens_at.data else None
        current.closes_at = to_utc(form.closes_at.data, event.timezone) if form.closes_at.data else None
        current.capacity = form.capacity.data
        current.requires_approval = form.requires_approval.data
        chosen = set(form.signup_items.data or [])
        for item in items:
            item.takes_signups = item.id in chosen
        db.session.commit()
        services.fill_places(event)  # a larger capacity promotes people from the waiting list
        flash(_("Registration settings saved."))
        return redirect(url_for(".settings"))
    return render_template(
        "registration/manage/settings.html", event=event, form=form, current=current,
        categories=services.categories(event), questions=services.questions(event),
    ), 400 if form.is_submitted() else 200


@bp.route("/e/<slug>/registration/categories", methods=["GET", "POST"])
@bp.route("/e/<slug>/registration/categories/<int:part_id>", methods=["GET", "POST"])
def categories(part_id: int | None = None):
    event = g.event
    services.settings_for(event)
    part = None
    if part_id is not None:
        part = of_event_or_404(ParticipantCategory, part_id, event)
    form = CategoryForm(obj=part)
    if form.validate_on_submit():
        if part is None:
            part = ParticipantCategory(event_id=event.id)
            db.session.add(part)
        part.name = form.name.data
        part.position = form.position.data or 0
        part.is_public = form.is_public.data
        part.requires_approval = form.requires_approval.data
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".categories"))
    return render_template(
        "registration/manage/categories.html", event=event, form=form, parts=services.categories(event), editing=part
    ), 400 if form.is_submitted() else 200


@bp.route("/e/<slug>/registration/questions", methods=["GET", "POST"])
@bp.route("/e/<slug>/registration/questions/<int:question_id>", methods=["GET", "POST"])
def questions(question_id: int | None = None):
    event = g.event
    question = None
    if question_id is not None:
        question = of_event_or_404(Question, question_id, event)
    form = QuestionForm(obj=question)
    if request.method == "GET" and question is not None:
        form.choices.data = format_choices(question.choices)
    if form.validate_on_submit():
        if question is None:
            question = Question(event_id=event.id)
            db.session.add(question)
        question.label = form.label.data
        question.kind = form.kind.data
        question.choices = parse_choices(form.choices.data) if form.kind.data in ("single_choice", "multiple_choice") else []
        question.required = form.required.data
        question.position = form.position.data or 0
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".questions"))
    return render_template(
        "registration/manage/questions.html", event=event, form=form, questions=services.questions(event), editing=question
    ), 400 if form.is_submitted() else 200


# ---- outbox --------------------------------------------------------------------------------


@bp.route("/e/<slug>/outbox")
def outbox_list():
    messages = db.session.scalars(
        db.select(OutgoingMessage).filter_by(event_id=g.event.id).order_by(OutgoingMessage.id.desc()).limit(500)
    ).all()
    shown = request.args.get("message", type=int)
    return render_template(
        "registration/manage/outbox.html", event=g.event, messages=messages, shown=shown,
        smtp=outbox.smtp_configured(), action_form=BaseForm(),
    )


@bp.route("/e/<slug>/outbox/<int:message_id>/retry", methods=["POST"])
def outbox_retry(message_id: int):
    if not BaseForm().validate_on_submit():
        abort(400)
    message = of_event_or_404(OutgoingMessage, message_id, g.event)
    outbox.retry(message)
    sending.send_soon(message)
    flash(_("The message is queued again."))
    return redirect(url_for(".outbox_list"))


@bp.cli.command("send")
def send_outbox():
    """Send queued e-mails that are due (retries failed attempts with backoff)."""
    import click

    total = {"sent": 0, "failed": 0, "retry": 0}
    while True:
        result = outbox.deliver_pending(limit=100)
        for key, value in result.items():
            total[key] += value
        if sum(result.values()) == 0:
            break
    if not outbox.smtp_configured():
        click.echo("FORUMAPP_SMTP_URL is not set: messages stay in the outbox.")
    click.echo(f"sent {total['sent']}, will retry {total['retry']}, failed {total['failed']}")
