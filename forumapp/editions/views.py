"""Copying an event as next year's draft."""

from __future__ import annotations

import re

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forumapp.editions.forms import CopyEventForm
from forumapp.editions.services import CopyRequest, SlugTaken, copy_event, same_weekday_next_year
from forumapp.programme.event_pages import organiser_pages
from forumapp.programme.services import slug_taken

bp = organiser_pages(Blueprint("editions", __name__, url_prefix="/manage"))


def _next_year(text: str, year: int) -> str:
    """'forum-2016' -> 'forum-2017': the proposal for the new address and prefix."""
    return re.sub(str(year), str(year + 1), text) if str(year) in text else text


@bp.route("/e/<slug>/copy", methods=["GET", "POST"])
def copy():
    source = g.event
    year = source.starts_on.year
    proposed = _next_year(source.slug, year)
    initial = {
        "title": {k: _next_year(v, year) for k, v in (source.title or {}).items()},
        "slug": proposed if proposed != source.slug else f"{source.slug}-{year + 1}",
        "starts_on": same_weekday_next_year(source.starts_on),
        "code": _next_year(source.code or "", year),
    }
    # The proposal fills an empty form only: a sent form is read as sent.
    form = CopyEventForm(taken_slug=slug_taken, data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        wanted = CopyRequest(slug=form.slug.data, starts_on=form.starts_on.data, title=form.title.data,
                             code=form.code.data or "")
        try:
            event = copy_event(source, wanted, copier=current_user)
        except SlugTaken:
            form.slug.errors.append(_("This address is already taken by another event."))
        else:
            flash(_("The copy was made as a draft. Check its settings, then the programme."))
            return redirect(url_for("programme_manage.edit_event", slug=event.slug))
    return render_template("manage/copy_event.html", event=source, form=form)
