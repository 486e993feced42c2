"""B2B matchmaking, the organisers' side: sessions, profiles (approve, hide), running the
scheduler, the table x slot matrix with manual moves, publishing, printing, the door, figures."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from forumapp.downloads import download
from forumapp.extensions import db
from forumapp.forms import BaseForm
from forumapp.lookups import of_event_or_404
from forumapp.matchmaking import documents, meetings, planning, profiles
from forumapp.matchmaking.forms import DoorForm, MoveForm, ProfileActionForm, SessionForm
from forumapp.matchmaking.models import MatchSession, Meeting, Profile
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.models import Hall
from forumapp.timeutil import to_utc

# Check-in staff mark meetings held or no-show at the door; everything else is the organisers'.
bp = organiser_pages(Blueprint("matchmaking_manage", __name__, url_prefix="/manage/e/<slug>/b2b"),
                     staff_endpoints=("door_list", "door"))


@bp.route("")
def overview():
    event = g.event
    all_profiles = list(db.session.scalars(db.select(Profile).filter_by(event_id=event.id)
                                           .options(selectinload(Profile.entries)).order_by(Profile.organisation)))
    return render_template("matchmaking/manage/overview.html", event=event, profiles=all_profiles,
                           sessions=planning.sessions_of(event), figures=meetings.figures(event),
                           published=planning.is_published(event))


@bp.route("/profiles/<int:profile_id>", methods=["POST"])
def profile_action(profile_id: int):
    profile = of_event_or_404(Profile, profile_id, g.event)
    form = ProfileActionForm()
    if not form.validate_on_submit():
        abort(400)
    profiles.set_status(profile, form.action.data)
    flash(_("The profile of %(organisation)s is updated.", organisation=profile.organisation))
    return redirect(url_for(".overview"))


def _hall_choices(event):
    halls = db.session.scalars(db.select(Hall).filter_by(event_id=event.id).order_by(Hall.position))
    return [(0, _("(no hall)"))] + [(h.id, h.display_name) for h in halls]


@bp.route("/sessions/new", methods=["GET", "POST"])
def new_session():
    return _session_page(None)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
def session(session_id: int):
    return _session_page(session_id)


def _session_page(session_id: int | None):
    event = g.event
    row = of_event_or_404(MatchSession, session_id, event) if session_id is not None else None
    form = SessionForm()
    form.hall.choices = _hall_choices(event)
    if request.method == "GET" and row is not None:
        local_start, local_end = event.local(row.starts_at), event.local(row.ends_at)
        form.name.process(None, row.name)
        form.hall.data = row.hall_id or 0
        form.day.data, form.starts.data, form.ends.data = local_start.date(), local_start.time(), local_end.time()
        form.slot_minutes.data, form.tables.data = row.slot_minutes, row.tables
        form.breaks.data = ", ".join(f"{s}-{e}" for s, e in row.breaks or [])
    elif request.method == "GET":
        form.day.data = event.starts_on
    if form.validate_on_submit():
        starts = to_utc(datetime.combine(form.day.data, form.starts.data), event.timezone)
        ends = to_utc(datetime.combine(form.day.data, form.ends.data), event.timezone)
        overlapping = db.session.scalar(db.select(MatchSession).where(
            MatchSession.event_id == event.id, MatchSession.starts_at < ends, MatchSession.ends_at > starts,
            MatchSession.id != (row.id if row else -1)))
        if overlapping is not None:
            # Slots of two sessions at one time would let the scheduler seat a participant twice.
            form.starts.errors.append(_("This overlaps the session «%(name)s».", name=overlapping.display_name))
        elif row is not None and form.tables.data < row.tables and db.session.scalar(
                db.select(Meeting.id).where(Meeting.session_id == row.id, Meeting.table_number > form.tables.data)):
            form.tables.errors.append(_("Meetings are placed at the tables you would remove; move them first."))
        else:
            row = row or MatchSession(event_id=event.id)
            row.name, row.hall_id = form.name.data, form.hall.data or None
            row.starts_at, row.ends_at = starts, ends
            row.slot_minutes, row.tables = form.slot_minutes.data, form.tables.data
            row.breaks = getattr(form.breaks, "parsed", [])  # (not set when the field is empty)
            db.session.add(row)
            db.session.commit()
            flash(_("The session is saved: %(n)s slots.", n=len(row.slots())))
            return redirect(url_for(".overview"))
    status = 400 if form.is_submitted() else 200
    return render_template("matchmaking/manage/session.html", event=event, form=form, row=row), status


@bp.route("/schedule/run", methods=["POST"])
def run():
    if not BaseForm().validate_on_submit():
        abort(400)
    result = planning.run(g.event)
    flash(_("%(placed)s meetings are placed, %(unplaced)s could not be placed.",
            placed=len(result.placed), unplaced=len(result.unplaced)))
    return redirect(url_for(".matrix"))


@bp.route("/schedule/publish", methods=["POST"])
def publish():
    if not BaseForm().validate_on_submit():
        abort(400)
    count = planning.publish(g.event)
    flash(_("%(n)s meetings are published; both sides of each were e-mailed.", n=count))
    return redirect(url_for(".matrix"))


@bp.route("/matrix")
def matrix():
    event = g.event
    plan = planning.plan_for(event, keep=lambda m: False)
    sessions = {s.id: s for s in planning.sessions_of(event)}
    cells = {}
    unplaced = []
    for meeting in plan.meetings.values():
        cell = plan.cell_of(meeting)
        if cell is None:
            unplaced.append(meeting)
        else:
            cells[cell] = meeting
    warned = {}
    for meeting, text in planning.warnings(event, plan):
        warned.setdefault(meeting.id, []).append(_warning_text(text))
    return render_template("matchmaking/manage/matrix.html", event=event, plan=plan, sessions=sessions,
                           cells=cells, unplaced=unplaced, warned=warned, move_form=MoveForm(formdata=None),
                           door_form=DoorForm(formdata=None))


@bp.route("/meetings/<int:meeting_id>/move", methods=["POST"])
def move(meeting_id: int):
    event = g.event
    meeting = of_event_or_404(Meeting, meeting_id, event)
    form = MoveForm()
    slots, sessions = planning.event_slots(event)
    form.cell.choices = [(str(i), str(i)) for i in range(len(slots))]
    if not form.validate_on_submit():
        abort(400)
    slot = slots[int(form.cell.data)]
    try:
        found = planning.move(meeting, sessions[slot.session_id], slot.starts_at, form.table.data)
    except planning.CellTaken:
        flash(_("That table is already used in that slot."), "error")
        return redirect(url_for(".matrix")), 409
    except planning.NoSuchCell:
        flash(_("That session has no such table."), "error")
        return redirect(url_for(".matrix")), 400
    for _meeting, text in found:
        flash(_("Warning: %(problem)s", problem=_warning_text(text)), "error")
    flash(_("The meeting is moved."))
    return redirect(url_for(".matrix"))


def _warning_text(code: str) -> str:
    kind, _sep, who = code.partition(":")
    if kind == "double":
        return _("%(who)s has two meetings at this time", who=who)
    return _("%(who)s is busy at this time (a programme item or their own time limits)", who=who)


@bp.route("/meetings/<int:meeting_id>/door", methods=["POST"])
def door(meeting_id: int):
    meeting = of_event_or_404(Meeting, meeting_id, g.event)
    form = DoorForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        meetings.mark_attendance(meeting, form.attendance.data)
    except meetings.NotAllowed:
        abort(409)
    return redirect(url_for(".door_list") + f"#meeting-{meeting.id}")


@bp.route("/door")
def door_list():
    """The door's list: every published meeting by time and table, with held / no-show."""
    event = g.event
    placed = [m for m in planning.accepted_meetings(event) if m.is_placed and m.published_at is not None]
    placed.sort(key=lambda m: (m.starts_at, m.table_number))
    return render_template("matchmaking/manage/door.html", event=event, meetings=placed)


@bp.route("/signs.pdf")
def signs_pdf():
    event = g.event
    placed = [m for m in planning.accepted_meetings(event) if m.is_placed]
    pdf = documents.table_signs_pdf(event, placed, planning.sessions_of(event))
    return download(pdf, "application/pdf", f"{event.code or event.slug}-b2b-tables.pdf")


@bp.route("/master.pdf")
def master_pdf():
    event = g.event
    placed = [m for m in planning.accepted_meetings(event) if m.is_placed]
    return download(documents.master_pdf(event, placed), "application/pdf", f"{event.code or event.slug}-b2b.pdf")
