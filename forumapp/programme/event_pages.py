"""One guard for every area's organiser pages under /manage/e/<slug>/...: a signed-in user with
the event's organiser role (or the roles given); `url_for` inside the blueprint fills the slug."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import login_required

from forumapp.accounts.models import ORGANISER
from forumapp.accounts.services import require_event_role
from forumapp.programme.services import event_or_404


def organiser_pages(bp: Blueprint, *roles: str) -> Blueprint:
    @bp.before_request
    @login_required
    def signed_in_only():
        """Anonymous visitors go to the sign-in page; the event role is checked below."""

    @bp.url_value_preprocessor
    def load_event(endpoint, values):
        if values and "slug" in values:
            g.event = event_or_404(values.pop("slug"))
            require_event_role(g.event, *(roles or (ORGANISER,)))

    @bp.url_defaults
    def add_slug(endpoint, values):
        if "slug" not in values and getattr(g, "event", None) is not None:
            values["slug"] = g.event.slug

    return bp
