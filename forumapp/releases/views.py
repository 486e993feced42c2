"""The public "Changes" page of an event and the organisers' release page."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forumapp.caching.pages import cached_public
from forumapp.extensions import db
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.models import ProgrammeItem
from forumapp.programme.services import public_event_or_404
from forumapp.releases.forms import ReleaseForm
from forumapp.releases.labels import CHANGE_LABELS
from forumapp.releases.lines import grouped_lines
from forumapp.releases.services import (
    ReleaseRefused,
    data_version,
    history,
    latest_release,
    name_taken,
    release,
    unreleased_changes,
)
from forumapp.releases.services import (
    releases as releases_of,
)

bp = Blueprint("releases", __name__)
manage_bp = organiser_pages(Blueprint("releases_manage", __name__, url_prefix="/manage"))
blueprints = [bp, manage_bp]


@bp.url_value_preprocessor
def load_public_event(endpoint, values):
    if values and "slug" in values:
        event = g.event = public_event_or_404(values["slug"])
        g.content_fallback = event.fallback_order
        g.event_default_locale = event.default_locale


@bp.route("/e/<slug>/changes")
@cached_public()
def changes(slug: str):
    event = g.event
    entries = [(entry.release, grouped_lines(event, entry.changes)) for entry in history(event)]
    # Items of older versions may have gone since: only those still published are linked.
    published = set(db.session.scalars(
        db.select(ProgrammeItem.id).filter_by(event_id=event.id, status="published")))
    return render_template("releases/changes.html", event=event, entries=entries, labels=CHANGE_LABELS,
                           published=published)


@manage_bp.route("/e/<slug>/releases", methods=["GET", "POST"])
def releases():
    event = g.event
    form = ReleaseForm(name_taken=lambda name: name_taken(event, name))
    if form.validate_on_submit():
        try:
            made = release(event, form.name.data, form.changelog.data or "", current_user, seen_version=form.seen)
        except ReleaseRefused as refused:
            if refused.reason == "name_taken":
                form.name.errors.append(_("This event already has a version with this name."))
            else:
                flash(_("The programme changed while you were reading. Check the changes again."), "error")
        else:
            if made.notified:
                flash(_("Version %(name)s is released. %(n)s participants will be told of their changes.",
                        name=made.name, n=made.notified))
            else:
                flash(_("Version %(name)s is released. No participant's items moved or were cancelled.",
                        name=made.name))
            return redirect(url_for(".releases"))
    form.seen_version.data = str(data_version(event))
    return render_template(
        "releases/manage.html",
        event=event,
        form=form,
        pending=grouped_lines(event, unreleased_changes(event)),
        latest=latest_release(event),
        past=releases_of(event)[::-1],
        labels=CHANGE_LABELS,
    )
