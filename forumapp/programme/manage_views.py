"""Organisers' pages for building a programme."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from forumapp.accounts.models import EventRole
from forumapp.extensions import db
from forumapp.programme.models import Event

bp = Blueprint("programme_manage", __name__, url_prefix="/manage")


@bp.before_request
@login_required
def signed_in_only():
    """Every management page needs a signed-in user; per-event roles are checked in each view."""


@bp.route("/")
def events():
    query = db.select(Event).order_by(Event.starts_on.desc())
    if not current_user.is_admin:
        query = query.join(EventRole, EventRole.event_id == Event.id).where(
            EventRole.user_id == current_user.id
        )
    return render_template("manage/events.html", events=db.session.scalars(query).unique().all())
