"""Directory of people and organisations: organisers' pages. Who may write which record is
decided in ownership.py; a record the user may not change is shown read-only."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forumapp.directory import ownership
from forumapp.directory.deletion import (
    check_organisation,
    check_person,
    remove_organisation_dependants,
    remove_person_dependants,
)
from forumapp.directory.forms import OrganisationForm, PersonForm
from forumapp.directory.models import Organisation, Person
from forumapp.directory.public_views import bp as public_bp
from forumapp.directory.services import (
    all_organisations,
    all_people,
    matching,
    organisation_or_404,
    page_of,
    person_or_404,
    would_create_cycle,
)
from forumapp.extensions import db
from forumapp.media.forms import commit_with_image
from forumapp.programme.deletion_pages import confirm_and_delete
from forumapp.programme.models import Event

bp = Blueprint("directory", __name__, url_prefix="/manage")
blueprints = [bp, public_bp]


@bp.record_once
def template_globals(state):
    state.app.add_template_global(lambda: ownership.may_keep_directory(current_user), "may_keep_directory")


@bp.before_request
@login_required
def organisers_only():
    """Site admins and organisers of some event; check-in staff never (see ownership.py)."""
    if not ownership.may_keep_directory(current_user):
        abort(403)


@bp.context_processor
def event_menu():
    """?event=<slug>: the organiser came from that event's menu, which the directory's pages
    keep (and pass on in their links), so the organiser does not lose their place."""
    event = _menu_event()
    return {"event": event, "nav_args": {"event": event.slug} if event else {}}


def _menu_event() -> Event | None:
    slug = request.args.get("event", "")
    if not slug or len(slug) > 80:
        return None
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    if event is None or not current_user.has_event_role(event.id, "organiser"):
        return None
    return event


def _back(endpoint: str) -> str:
    event = _menu_event()
    return url_for(endpoint, **({"event": event.slug} if event else {}))


def _may_write_or_403(record) -> None:
    try:
        ownership.check_may_edit(current_user, record)
    except ownership.NotAllowed:
        abort(403)


def _read_only(template: str, record, **context):
    """The record as a page without a form, naming the events that use it: published ones and
    the user's own; a draft of another event is only counted (its title is not public yet)."""
    events = db.session.scalars(db.select(Event).where(Event.id.in_(ownership.events_using(record)))).all()
    organised = ownership.organised_event_ids(current_user)
    named = [e for e in events if e.is_public or e.id in organised]
    return render_template(template, read_only=True, used_by=named, unnamed=len(events) - len(named), **context)


@bp.route("/people/")
def people():
    query = request.args.get("q", "")[:200]
    page = page_of(matching(all_people(), query), request.args.get("page", 1, type=int))
    uses = ownership.person_events([p.id for p in page.records])
    return render_template(
        "directory/people.html",
        people=page.records,
        page=page,
        query=query,
        editable=ownership.editable_ids(current_user, uses, [p.id for p in page.records]),
    )


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
def person(person_id: int | None = None):
    person = person_or_404(person_id) if person_id else Person()
    if person_id is not None and not ownership.may_edit(current_user, ownership.events_using(person)):
        if request.method == "POST":
            abort(403)
        return _read_only("directory/person_form.html", person, person=person, form=None)
    _may_write_or_403(person)
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
        return redirect(_back("directory.people"))
    return render_template("directory/person_form.html", form=form, person=person, read_only=False)


@bp.route("/organisations/")
def organisations():
    query = request.args.get("q", "")[:200]
    page = page_of(matching(all_organisations(), query), request.args.get("page", 1, type=int))
    uses = ownership.organisation_events([o.id for o in page.records])
    return render_template(
        "directory/organisations.html",
        organisations=page.records,
        page=page,
        query=query,
        editable=ownership.editable_ids(current_user, uses, [o.id for o in page.records]),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int | None = None):
    organisation = organisation_or_404(organisation_id) if organisation_id else Organisation()
    if organisation_id is not None and not ownership.may_edit(current_user, ownership.events_using(organisation)):
        if request.method == "POST":
            abort(403)
        return _read_only("directory/organisation_form.html", organisation, organisation=organisation, form=None)
    _may_write_or_403(organisation)
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
            return redirect(_back("directory.organisations"))
    return render_template(
        "directory/organisation_form.html", form=form, organisation=organisation, read_only=False
    )



def _delete(record, check, before, *, heading: str, back: str, done: str):
    if not ownership.may_edit(current_user, ownership.events_using(record)):
        if request.method == "POST":
            abort(403)
        return _read_only("directory/person_form.html" if isinstance(record, Person) else
                          "directory/organisation_form.html", record, person=record, organisation=record, form=None)
    return confirm_and_delete(record, check, heading=heading, name=record.display_name, back=back, done=done,
                              before=before)


@bp.route("/people/<int:person_id>/delete", methods=["GET", "POST"])
def delete_person(person_id: int):
    person = person_or_404(person_id)
    return _delete(person, check_person, remove_person_dependants, heading=_("Delete this person?"),
                   back=url_for("directory.person", person_id=person.id), done=_back("directory.people"))


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
def delete_organisation(organisation_id: int):
    organisation = organisation_or_404(organisation_id)
    return _delete(organisation, check_organisation, remove_organisation_dependants,
                   heading=_("Delete this organisation?"),
                   back=url_for("directory.organisation", organisation_id=organisation.id),
                   done=_back("directory.organisations"))
