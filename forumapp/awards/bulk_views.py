"""Adding many laureates at once: paste or upload, preview with each row's errors, confirm."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from forumapp.awards import bulk, services
from forumapp.awards.forms import BulkLaureatesForm
from forumapp.awards.views import bp
from forumapp.extensions import db


@bp.route("/c/<int:item_id>/laureates", methods=["GET", "POST"])
def bulk_laureates(item_id: int):
    event = g.event
    ceremony = services.load_ceremony(services.ceremony_of_event_or_404(event, item_id).id)
    db.session.commit()  # the ceremony's record, made on first use
    form = BulkLaureatesForm(nominations=ceremony.nominations)
    rows = None
    if form.validate_on_submit():
        default = next((n for n in ceremony.nominations if n.id == form.nomination_id.data), None)
        try:
            upload = form.upload.data
            if upload and getattr(upload, "filename", ""):
                table = bulk.rows_from_upload(upload.filename, upload.read(bulk.MAX_BYTES + 1))
            else:
                table = bulk.rows_from_text(form.rows.data or "")
            rows = bulk.read_rows(ceremony, table, default)
        except bulk.BulkInputError as error:
            form.upload.errors = [*form.upload.errors, str(error)]
            rows = None
        else:
            if not rows:
                form.rows.errors = [*form.rows.errors, _("The list is empty.")]
            elif request.form.get("step") == "add":
                added = bulk.add_laureates(rows, str(get_locale() or event.default_locale))
                skipped = len(rows) - added
                flash(_("%(added)s laureates were added; %(skipped)s rows with errors were left out.",
                        added=added, skipped=skipped) if skipped else _("%(added)s laureates were added.", added=added))
                return redirect(url_for(".ceremony", item_id=item_id))
            else:
                form.rows.data = bulk.as_text(table)  # the confirmation adds exactly what was previewed
    db.session.rollback()  # a preview writes nothing
    return render_template("awards/bulk_laureates.html", event=event, ceremony=ceremony, item=ceremony.item,
                           form=form, rows=rows, display=bulk.display,
                           good=sum(1 for r in rows or () if r.ok)), (400 if form.errors else 200)
