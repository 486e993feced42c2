"""One guard for every area's organiser pages under /manage/e/<slug>/...: a signed-in user with
the event's organiser role (check-in staff too on the endpoints named); `url_for` inside the
blueprint fills in the slug for every endpoint whose URL has one."""

from __future__ import annotations

from flask import Blueprint, current_app, g
from flask_login import login_required

from forumapp.accounts.models import CHECKIN_STAFF, ORGANISER
from forumapp.accounts.services import require_event_role
from forumapp.programme.services import event_or_404


def organiser_pages(bp: Blueprint, *, staff_endpoints: tuple[str, ...] = ()) -> Blueprint:
    @bp.before_request
    @login_required
    def signed_in_only():
        """Anonymous visitors go to the sign-in page; the event role is checked below."""

    @bp.url_value_preprocessor
    def load_event(endpoint, values):
        if values and "slug" in values:
            g.event = event_or_404(values.pop("slug"))
            staff_may = endpoint.split(".", 1)[-1] in staff_endpoints
            require_event_role(g.event, *((ORGANISER, CHECKIN_STAFF) if staff_may else (ORGANISER,)))

    @bp.url_defaults
    def add_slug(endpoint, values):
        if (
            "slug" not in values
            and getattr(g, "event", None) is not None
            and current_app.url_map.is_endpoint_expecting(endpoint, "slug")
        ):
            values["slug"] = g.event.slug

    return bp
