"""The event log page: who changed what and when, for the event's organisers."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from forumapp.audit.labels import ACTION_LABELS, KIND_LABELS
from forumapp.audit.services import LogFilter, actors, event_log
from forumapp.programme.event_pages import organiser_pages

bp = organiser_pages(Blueprint("audit", __name__, url_prefix="/manage"))


@bp.route("/e/<slug>/log")
def log():
    event = g.event
    wanted = LogFilter.from_args(request.args)
    return render_template(
        "manage/log.html", event=event, wanted=wanted, log=event_log(event.id, wanted), actors=actors(event.id),
        KIND_LABELS=KIND_LABELS, ACTION_LABELS=ACTION_LABELS,
    )
