"""Directory of people and organisations: organisers' pages."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forumapp.directory.forms import OrganisationForm, PersonForm
from forumapp.directory.models import Organisation, Person
from forumapp.directory.public_views import bp as public_bp
from forumapp.directory.services import (
    all_organisations,
    all_people,
    organisation_or_404,
    person_or_404,
    would_create_cycle,
)
from forumapp.extensions import db
from forumapp.media.forms import commit_with_image

bp = Blueprint("directory", __name__, url_prefix="/manage")
blueprints = [bp, public_bp]


@bp.before_request
@login_required
def organisers_only():
    """People and organisations are shared by all events: any organiser may keep them."""
    if not (current_user.is_admin or current_user.roles):
        abort(403)


@bp.route("/people/")
def people():
    return render_template("directory/people.html", people=all_people())


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
def person(person_id: int | None = None):
    person = person_or_404(person_id) if person_id else Person()
    form = PersonForm(obj=person, organisations=all_organisations())
    if not person.photo:
        del form.remove_photo
    if person_id is None and not form.is_submitted():
        form.organisation_id.data = 0
    if form.validate_on_submit():
        form.populate_obj(person)
        person.organisation_id = form.organisation_id.data or None
        db.session.add(person)
        commit_with_image(db.session, person, "photo", form.photo, remove="remove_photo" in form and form.remove_photo.data)
        flash(_("Saved %(name)s.", name=person.display_name))
        return redirect(url_for("directory.people"))
    return render_template("directory/person_form.html", form=form, person=person)


@bp.route("/organisations/")
def organisations():
    return render_template("directory/organisations.html", organisations=all_organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int | None = None):
    organisation = organisation_or_404(organisation_id) if organisation_id else Organisation()
    candidates = [o for o in all_organisations() if o.id != organisation_id]
    form = OrganisationForm(obj=organisation, organisations=candidates)
    if not organisation.logo:
        del form.remove_logo
    if not form.is_submitted():
        form.parent_id.data = organisation.parent_id or 0
    if form.validate_on_submit():
        parent_id = form.parent_id.data or None
        if organisation.id and would_create_cycle(organisation, parent_id):
            form.parent_id.errors.append(_("An organisation cannot be a member of its own member."))
        else:
            form.populate_obj(organisation)
            organisation.parent_id = parent_id
            db.session.add(organisation)
            remove = "remove_logo" in form and form.remove_logo.data
            commit_with_image(db.session, organisation, "logo", form.logo, remove=remove)
            flash(_("Saved %(name)s.", name=organisation.display_name))
            return redirect(url_for("directory.organisations"))
    return render_template("directory/organisation_form.html", form=form, organisation=organisation)
