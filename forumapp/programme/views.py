"""Public pages of published events."""

from flask import Blueprint, g, render_template

from forumapp.extensions import db
from forumapp.programme.manage_views import bp as manage_bp
from forumapp.programme.models import Event
from forumapp.programme.services import public_event_or_404, published_items

bp = Blueprint("programme", __name__)
blueprints = [bp, manage_bp]


@bp.route("/")
def index():
    events = db.session.scalars(
        db.select(Event).where(Event.status.in_(("published", "archived"))).order_by(Event.starts_on.desc())
    ).all()
    return render_template("programme/index.html", events=events)


@bp.route("/e/<slug>/")
def event_home(slug: str):
    event = g.event = public_event_or_404(slug)
    return render_template("programme/event_home.html", event=event, items=published_items(event))
