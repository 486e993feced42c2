"""Organisers' pages for building, checking and publishing a programme."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forumapp.accounts.forms import TeamMemberForm
from forumapp.accounts.models import ORGANISER, EventRole, User
from forumapp.accounts.services import find_user, require_admin
from forumapp.directory.services import all_people, matching
from forumapp.extensions import db
from forumapp.i18n import current_language
from forumapp.lookups import of_event_or_404
from forumapp.media.forms import commit_with_image
from forumapp.programme.deletion import check_event, check_hall, check_item, check_track
from forumapp.programme.deletion_pages import confirm_and_delete
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.forms import (
    EventForm,
    HallForm,
    ItemForm,
    ItemPersonForm,
    NewItemPersonForm,
    TrackForm,
)
from forumapp.programme.grid import day_grid, end_for
from forumapp.programme.labels import STATUS_LABELS
from forumapp.programme.models import EVENT_STATUSES, Event, Hall, ItemPerson, ProgrammeItem, Track
from forumapp.programme.moving import MoveRefused, move_item, parse_move
from forumapp.programme.publishing import publish_drafts, set_event_status
from forumapp.programme.services import (
    add_new_person,
    days_with_items,
    event_items,
    item_of_event_or_404,
    items_outside_dates,
    set_item_times,
    slug_taken,
    utc_offset_label,
)
from forumapp.programme.warnings import schedule_warnings, warnings_by_item
from forumapp.text import inner_quotes

bp = organiser_pages(Blueprint("programme_manage", __name__, url_prefix="/manage"))


@bp.route("/")
def events():
    query = db.select(Event).order_by(Event.starts_on.desc())
    if not current_user.is_admin:
        query = query.join(EventRole, EventRole.event_id == Event.id).where(
            EventRole.user_id == current_user.id, EventRole.role == ORGANISER
        )
    return render_template("manage/events.html", events=db.session.scalars(query).unique().all())


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    require_admin()
    form = EventForm(taken_slug=slug_taken)
    del form.remove_banner
    if form.validate_on_submit():
        event = Event()
        halls = form.halls.data
        del form.halls  # not a column
        form.populate_obj(event)
        locale = current_language()
        event.halls = [Hall(name={locale: name}, capacity=capacity, position=n) for n, (name, capacity) in enumerate(halls)]
        db.session.add(event)
        commit_with_image(db.session, event, "banner", form.banner)
        flash(_("The event was created. Add halls, then the programme."))
        return redirect(url_for(".schedule", slug=event.slug))
    return render_template("manage/event_form.html", form=form, event=None)


@bp.route("/e/<slug>/edit", methods=["GET", "POST"])
def edit_event():
    event = g.event
    form = EventForm(
        obj=event,
        taken_slug=lambda s: slug_taken(s, except_event_id=event.id),
        items_outside=lambda first, last: [
            f"{item.display_title} ({item.local_start:%d.%m.%Y})" for item in items_outside_dates(event, first, last)
        ],
    )
    if not event.banner:
        del form.remove_banner
    del form.halls  # the halls page edits them
    if form.validate_on_submit():
        form.populate_obj(event)
        remove = "remove_banner" in form and form.remove_banner.data
        commit_with_image(db.session, event, "banner", form.banner, remove=remove)
        flash(_("Saved."))
        return redirect(url_for(".schedule", slug=event.slug))
    db.session.rollback()  # a rejected form must not leave the event half-changed in the session
    return render_template("manage/event_form.html", form=form, event=event)


@bp.route("/e/<slug>/publish", methods=["POST"])
def publish_event():
    event = g.event
    wanted = request.form.get("status")
    if wanted not in EVENT_STATUSES:
        abort(400)
    warnings = set_event_status(event, wanted, confirmed=request.form.get("confirm") == "yes")
    if warnings:
        return _confirm_publishing(event, warnings, url_for(".publish_event"), {"status": wanted},
                                   _("Publish the event anyway"))
    flash(_("The event is now: %(status)s.", status=STATUS_LABELS[wanted]))
    return redirect(url_for(".schedule"))


def _confirm_publishing(event, warnings, action: str, fields: dict, button: str):
    """The open warnings, and the same request again with confirm=yes (or back to the schedule)."""
    return render_template("manage/confirm_publish.html", event=event, warnings=warnings, action=action,
                           fields=fields, button=button)


@bp.route("/e/<slug>/")
def schedule():
    event = g.event
    items = event_items(event)
    warnings = schedule_warnings(items)
    view = request.args.get("view", "grid")
    days = days_with_items(event, items)
    halls = list(event.halls)
    grids = [day_grid(day, day_items, halls, no_hall_label=_("No hall")) for day, day_items in days]
    return render_template(
        "manage/schedule.html",
        event=event,
        days=days,
        grids=grids,
        warnings=warnings,
        item_warnings=warnings_by_item(warnings),
        view=view if view in ("grid", "list") else "grid",
        zone_label=utc_offset_label(event),
    )


@bp.route("/e/<slug>/team", methods=["GET", "POST"])
def team():
    event = g.event
    form = TeamMemberForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            if len(form.password.data or "") < 8:
                form.password.errors.append(_("A new account needs a password of at least 8 characters."))
                return render_template("manage/team.html", event=event, form=form, roles=_roles(event))
            user = User(email=form.email.data.strip().lower(), name=form.name.data or "")
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
        exists = db.session.scalar(db.select(EventRole).filter_by(user_id=user.id, event_id=event.id, role=form.role.data))
        if not exists:
            db.session.add(EventRole(user_id=user.id, event_id=event.id, role=form.role.data))
        db.session.commit()
        flash(_("%(email)s can now work on this event.", email=user.email))
        return redirect(url_for(".team"))
    return render_template("manage/team.html", event=event, form=form, roles=_roles(event))


@bp.route("/e/<slug>/team/<int:role_id>/remove", methods=["POST"])
def remove_team_member(role_id: int):
    role = of_event_or_404(EventRole, role_id, g.event)
    db.session.delete(role)
    db.session.commit()
    return redirect(url_for(".team"))


def _roles(event):
    return db.session.scalars(db.select(EventRole).filter_by(event_id=event.id).order_by(EventRole.id)).all()


# ---- halls and tracks ---------------------------------------------------------------------


def _edit_part(model, form_class, template: str, part_id: int | None):
    """Add or edit a hall or track of the current event."""
    event = g.event
    part = of_event_or_404(model, part_id, event) if part_id else model(event_id=event.id)
    form = form_class(obj=part)
    if form.validate_on_submit():
        form.populate_obj(part)
        part.position = part.position or 0
        db.session.add(part)
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(f".{template}s"))
    db.session.rollback()
    parts = db.session.scalars(db.select(model).filter_by(event_id=event.id).order_by(model.position, model.id)).all()
    return render_template(f"manage/{template}s.html", event=event, form=form, parts=parts, editing=part_id)


@bp.route("/e/<slug>/halls", methods=["GET", "POST"])
@bp.route("/e/<slug>/halls/<int:part_id>", methods=["GET", "POST"])
def halls(part_id: int | None = None):
    return _edit_part(Hall, HallForm, "hall", part_id)


@bp.route("/e/<slug>/tracks", methods=["GET", "POST"])
@bp.route("/e/<slug>/tracks/<int:part_id>", methods=["GET", "POST"])
def tracks(part_id: int | None = None):
    return _edit_part(Track, TrackForm, "track", part_id)


# ---- programme items ----------------------------------------------------------------------


@bp.route("/e/<slug>/items/new", methods=["GET", "POST"])
@bp.route("/e/<slug>/items/<int:item_id>", methods=["GET", "POST"])
def item(item_id: int | None = None):
    event = g.event
    item = item_of_event_or_404(event, item_id) if item_id else None
    form = ItemForm(obj=item, event=event)
    if item is not None and not form.is_submitted():
        form.day.data = item.local_start.date()
        form.start.data = item.local_start.time()
        form.end.data = item.local_end.time()
        form.hall_id.data = item.hall_id or 0
        form.track_id.data = item.track_id or 0
    elif item is None and not form.is_submitted():
        _prefill_slot(form, event)
    if form.validate_on_submit():
        item = item or ProgrammeItem(event_id=event.id)
        form.populate_obj(item)  # day/start/end are not columns; they are set below
        item.hall_id = form.hall_id.data or None
        item.track_id = form.track_id.data or None
        set_item_times(item, event, form.day.data, form.start.data, form.end.data)
        db.session.add(item)
        db.session.commit()
        flash(_("Saved «%(title)s».", title=inner_quotes(item.display_title)))
        return redirect(url_for(".item", item_id=item.id))
    db.session.rollback()
    query = request.args.get("q", "")[:200]
    people_form = ItemPersonForm(people=matching(all_people(), query), prefix="person") if item else None
    new_person_form = NewItemPersonForm(prefix="new") if item else None
    item_warnings = warnings_by_item(schedule_warnings(event_items(event))).get(item.id, []) if item else []
    return render_template(
        "manage/item_form.html", event=event, item=item, form=form, people_form=people_form,
        new_person_form=new_person_form, query=query, warnings=item_warnings,
    )


def _prefill_slot(form, event) -> None:
    """A new item from an empty slot of the grid: ?day=&start=&hall= (ignored when not valid)."""
    form.day.data = event.starts_on
    try:
        day = date.fromisoformat(request.args.get("day", ""))
        if event.starts_on <= day <= event.ends_on:
            form.day.data = day
    except ValueError:
        pass
    try:
        form.start.data = datetime.strptime(request.args.get("start", ""), "%H:%M").time()
        form.end.data = end_for(form.start.data)
    except ValueError:
        pass
    hall = request.args.get("hall", type=int)
    if hall and hall in {choice for choice, _label in form.hall_id.choices}:
        form.hall_id.data = hall


@bp.route("/e/<slug>/items/<int:item_id>/move", methods=["POST"])
def move(item_id: int):
    """The schedule editor's drag and drop (JSON, or a form): another hall and/or time, the
    duration kept. Answers with the warnings after the move (JSON) or back to the schedule."""
    event = g.event
    item = item_of_event_or_404(event, item_id)
    wants_json = request.is_json or request.accept_mimetypes.best == "application/json"
    values = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(values, dict) and values is not request.form:
        values = {}
    try:
        hall_id, day, start = parse_move(values)
        warnings = move_item(event, item, hall_id=hall_id, day=day, start=start)
    except MoveRefused as refused:
        db.session.rollback()
        if wants_json:
            return jsonify(ok=False, error=str(refused)), 400
        flash(str(refused), "error")
        return redirect(url_for(".item", item_id=item.id))
    flash(_("Moved: %(title)s, %(time)s.", title=item.display_title,
            time=f"{item.local_start:%d.%m %H:%M}–{item.local_end:%H:%M}"))
    if wants_json:
        return jsonify(ok=True, item_id=item.id, warnings=[{"kind": w.kind, "message": str(w.message),
                                                            "item_ids": list(w.item_ids)} for w in warnings])
    return redirect(url_for(".schedule"))


@bp.route("/e/<slug>/items/<int:item_id>/people", methods=["POST"])
def add_item_person(item_id: int):
    event = g.event
    item = item_of_event_or_404(event, item_id)
    form = ItemPersonForm(people=all_people(), prefix="person")
    if form.validate_on_submit():
        exists = db.session.scalar(
            db.select(ItemPerson).filter_by(item_id=item.id, person_id=form.person_id.data, role=form.role.data)
        )
        if exists:
            flash(_("This person already has this role here."), "error")
        else:
            position = len(item.people)
            db.session.add(ItemPerson(item_id=item.id, person_id=form.person_id.data, role=form.role.data, position=position))
            db.session.commit()
            flash(_("Added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".item", item_id=item.id))


@bp.route("/e/<slug>/items/<int:item_id>/people/new", methods=["POST"])
def add_new_item_person(item_id: int):
    """Someone not in the directory yet: created there (in the language of the page) and given
    their part in the item, in one submit."""
    event = g.event
    item = item_of_event_or_404(event, item_id)
    form = NewItemPersonForm(prefix="new")
    if form.validate_on_submit():
        person = add_new_person(item, form.name.data, form.role.data, current_language(), form.organisation.data or "")
        flash(_("Added %(name)s to the directory and to this item.", name=person.display_name))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".item", item_id=item.id))


@bp.route("/e/<slug>/items/<int:item_id>/people/<int:part_id>/remove", methods=["POST"])
def remove_item_person(item_id: int, part_id: int):
    item = item_of_event_or_404(g.event, item_id)
    part = db.session.get(ItemPerson, part_id)
    if part is None or part.item_id != item.id:
        abort(404)
    db.session.delete(part)
    db.session.commit()
    return redirect(url_for(".item", item_id=item.id))


@bp.route("/e/<slug>/items/<int:item_id>/status", methods=["POST"])
def item_status(item_id: int):
    item = item_of_event_or_404(g.event, item_id)
    wanted = request.form.get("status")
    if wanted not in ("draft", "published", "cancelled"):
        abort(400)
    item.status = wanted
    db.session.commit()
    return redirect(request.form.get("back") == "schedule" and url_for(".schedule") or url_for(".item", item_id=item.id))


@bp.route("/e/<slug>/items/publish-all", methods=["POST"])
def publish_all_items():
    count, warnings = publish_drafts(g.event, confirmed=request.form.get("confirm") == "yes")
    if warnings:
        return _confirm_publishing(g.event, warnings, url_for(".publish_all_items"), {},
                                   _("Publish the drafts anyway"))
    flash(_("Draft items published: %(count)d.", count=count))
    return redirect(url_for(".schedule"))


# ---- deleting -------------------------------------------------------------------------------


@bp.route("/e/<slug>/items/<int:item_id>/delete", methods=["GET", "POST"])
def delete_item(item_id: int):
    item = item_of_event_or_404(g.event, item_id)
    return confirm_and_delete(item, check_item, heading=_("Delete this item?"), name=item.display_title,
                              back=url_for(".item", item_id=item.id), done=url_for(".schedule"), event=g.event)


@bp.route("/e/<slug>/halls/<int:part_id>/delete", methods=["GET", "POST"])
def delete_hall(part_id: int):
    hall = of_event_or_404(Hall, part_id, g.event)
    return confirm_and_delete(hall, check_hall, heading=_("Delete this hall?"), name=hall.display_name,
                              back=url_for(".halls", part_id=hall.id), done=url_for(".halls"), event=g.event)


@bp.route("/e/<slug>/tracks/<int:part_id>/delete", methods=["GET", "POST"])
def delete_track(part_id: int):
    track = of_event_or_404(Track, part_id, g.event)
    return confirm_and_delete(track, check_track, heading=_("Delete this track?"), name=track.display_name,
                              back=url_for(".tracks", part_id=track.id), done=url_for(".tracks"), event=g.event)


@bp.route("/e/<slug>/delete", methods=["GET", "POST"])
def delete_event():
    require_admin()  # as creating one
    event = g.event
    return confirm_and_delete(event, check_event, heading=_("Delete this event?"), name=event.display_title,
                              back=url_for(".edit_event"), done=url_for(".events"), event=event)
