"""The confirmation page every deletion goes through (programme and directory records alike)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from forumapp.programme.deletion import DeletionRefused, delete


def confirm_and_delete(record, check, *, heading: str, name: str, back: str, done: str, event=None, before=None):
    """GET (or a POST without confirm=yes): the consequences, or why it is refused. A POST with
    confirm=yes deletes (the service checks again) and goes to `done`; a refusal is a 409."""
    result = check(record)
    if request.method == "POST" and request.form.get("confirm") == "yes":
        try:
            delete(record, check, before=before)
        except DeletionRefused:
            pass
        else:
            flash(_("Deleted: %(name)s.", name=name))
            return redirect(done)
    status = 409 if request.method == "POST" and not result.allowed else 200
    # The directory's pages get the event (for its menu) from their context processor.
    context = {"event": event} if event is not None else {}
    return render_template("manage/confirm_delete.html", check=result, heading=heading, name=name, back=back,
                           **context), status
