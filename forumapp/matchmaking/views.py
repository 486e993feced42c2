"""B2B matchmaking, the participant's side: all behind the registration's private link (no
account). Opt in with a profile, browse the catalogue and suggestions, request, answer, see the
schedule (page, PDF, ICS), report outcomes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forumapp.downloads import download
from forumapp.extensions import limiter
from forumapp.lookups import of_event_or_404
from forumapp.matchmaking import documents, meetings, profiles
from forumapp.matchmaking.forms import AnswerForm, OutcomeForm, ProfileForm, RequestForm
from forumapp.matchmaking.manage_views import bp as manage_bp
from forumapp.matchmaking.models import Category, Direction, Meeting, MeetingRequest, OrganisationKind
from forumapp.rate_limits import public_render
from forumapp.registration import sending  # noqa: F401  (e-mail sent after commit)
from forumapp.registration import services as registrations

bp = Blueprint("matchmaking", __name__, url_prefix="/e/<slug>/r/<token>/b2b")
blueprints = [bp, manage_bp]
RATE_LIMIT = "30 per minute; 300 per hour"


@bp.record_once
def template_globals(state):
    from forumapp.matchmaking import labels

    for name in ("CATEGORY_LABELS", "KIND_LABELS", "DIRECTION_LABELS", "REQUEST_STATUS_LABELS",
                 "ATTENDANCE_LABELS", "OUTCOME_LABELS"):
        state.app.add_template_global(getattr(labels, name), "B2B_" + name)


@bp.url_value_preprocessor
def load_participant(endpoint, values):
    event, _settings = registrations.public_event_and_settings(values.pop("slug"))
    if event is None:
        abort(404)
    registration = registrations.find_by_token(event, values.pop("token"))
    if registration is None:
        abort(404)
    g.event, g.registration = event, registration
    g.content_fallback = event.fallback_order
    g.event_default_locale = event.default_locale
    g.profile = profiles.profile_of(registration)


@bp.url_defaults
def add_link(endpoint, values):
    if getattr(g, "registration", None) is not None:
        values.setdefault("slug", g.event.slug)
        values.setdefault("token", g.registration.token)


def _page(template, status=200, **context):
    return render_template(template, event=g.event, registration=g.registration, profile=g.profile,
                           **context), status


def _browsing_profile():
    """The viewer's profile if they may see the catalogue; otherwise the request ends (403)."""
    if not profiles.may_browse(g.profile):
        abort(403)
    return g.profile


@bp.route("")
def home():
    received = sent = schedule = []
    if g.profile is not None:
        received, sent = meetings.requests_of(g.profile)
        schedule = meetings.published_meetings_of(g.profile)
    return _page("matchmaking/home.html", received=received, sent=sent, schedule=schedule,
                 suggestions=profiles.suggestions(g.profile, 5) if profiles.may_browse(g.profile) else [],
                 other_side=meetings.other_side, answer_form=AnswerForm(formdata=None),
                 outcome_form=OutcomeForm(formdata=None))


def _profile_data(form: ProfileForm) -> profiles.ProfileData:
    entries = [
        profiles.EntryData(direction, row.category.data, (row.text.data or "").strip(), (row.volume.data or "").strip())
        for direction, rows in ((Direction.OFFER, form.offers), (Direction.SEEK, form.seeks))
        for row in rows if row.category.data
    ]
    return profiles.ProfileData(
        organisation=form.organisation.data.strip(), kind=form.kind.data, about=form.about.data,
        regions=[r.strip() for r in (form.regions.data or "").split(",") if r.strip()][:20],
        languages=form.languages.data or [], not_before=form.not_before.data, not_after=form.not_after.data,
        prefer_from=form.prefer_from.data, prefer_until=form.prefer_until.data, entries=entries,
    )


@bp.route("/profile", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def profile():
    registration = g.registration
    if registration.status not in profiles.ACTIVE_REGISTRATION:
        return _page("matchmaking/closed.html", 409 if request.method == "POST" else 200)
    form = ProfileForm()
    if request.method == "GET":
        _fill_profile_form(form, g.profile, registration)
    if form.validate_on_submit():
        first = g.profile is None
        profiles.save_profile(registration, _profile_data(form))
        flash(_("You have joined the B2B meetings.") if first else _("Your profile is saved."))
        return redirect(url_for(".home"))
    return _page("matchmaking/profile.html", 400 if form.is_submitted() else 200, form=form)


def _fill_profile_form(form: ProfileForm, profile, registration) -> None:
    if profile is None:
        form.organisation.data = registration.organisation_name
        form.languages.data = [registration.locale]
        return
    form.organisation.data, form.kind.data = profile.organisation, profile.kind
    form.about.process(None, profile.about)
    form.regions.data = ", ".join(profile.regions or [])
    form.languages.data = list(profile.languages or [])
    form.not_before.data, form.not_after.data = profile.not_before, profile.not_after
    form.prefer_from.data, form.prefer_until.data = profile.prefer_from, profile.prefer_until
    for name, entries in (("offers", profile.offers()), ("seeks", profile.seeks())):
        rows = form[name]
        while len(rows) < min(len(entries) + 1, rows.max_entries or 10):
            rows.append_entry()
        for row, entry in zip(rows, entries, strict=False):
            row.category.data, row.text.data, row.volume.data = entry.category, entry.text, entry.volume


@bp.route("/withdraw", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def withdraw():
    if g.profile is None:
        abort(404)
    if not _csrf_ok():
        abort(400)
    profiles.withdraw(g.profile)
    flash(_("You have left the B2B meetings: your profile, requests and meetings are deleted."))
    return redirect(url_for(".home"))


def _csrf_ok() -> bool:
    from forumapp.forms import BaseForm

    return BaseForm().validate_on_submit()


@bp.route("/catalogue")
def catalogue():
    viewer = _browsing_profile()
    args = request.args
    filters = profiles.Filters(
        text=args.get("q", "")[:100].strip(),
        category=args.get("category", "") if args.get("category", "") in set(Category) else "",
        direction=args.get("direction", "") if args.get("direction", "") in set(Direction) else "",
        region=args.get("region", "")[:100].strip(),
        kind=args.get("kind", "") if args.get("kind", "") in set(OrganisationKind) else "",
    )
    found = [profiles.match(viewer, p) for p in profiles.catalogue(viewer, filters)]
    return _page("matchmaking/catalogue.html", found=found, filters=filters,
                 suggestions=profiles.suggestions(viewer))


@bp.route("/p/<int:profile_id>", methods=["GET", "POST"])
@limiter.limit(RATE_LIMIT, methods=["POST"])
def other_profile(profile_id: int):
    viewer = _browsing_profile()
    other = profiles.visible_profile_or_none(viewer, profile_id)
    if other is None:
        abort(404)
    existing = meetings.between(viewer, other)
    form = RequestForm()
    status = 200
    if existing is None and form.validate_on_submit():
        try:
            meetings.ask(viewer, other, form.message.data)
        except meetings.RequestError:
            abort(409)
        flash(_("Your request is sent. We will write to you when %(organisation)s answers.",
                organisation=other.organisation))
        return redirect(url_for(".home"))
    if form.is_submitted():
        status = 409 if existing is not None else 400
    return _page("matchmaking/other.html", status, other=other, match=profiles.match(viewer, other),
                 existing=existing, form=form)


@bp.route("/requests/<int:request_id>", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def answer(request_id: int):
    if g.profile is None:
        abort(404)
    meeting_request = of_event_or_404(MeetingRequest, request_id, g.event)
    if g.profile.id not in (meeting_request.requester_id, meeting_request.recipient_id):
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.answer.data == "withdraw":
            meetings.withdraw(g.profile, meeting_request)
            flash(_("Your request is withdrawn."))
        else:
            meetings.answer(g.profile, meeting_request, form.answer.data == "accept")
            flash(_("You accepted the meeting.") if form.answer.data == "accept" else _("You declined the request."))
    except meetings.NotAllowed:
        abort(403)
    except meetings.RequestError:
        flash(_("This request has already been answered."), "error")
        return redirect(url_for(".home")), 409
    return redirect(url_for(".home"))


@bp.route("/meetings/<int:meeting_id>/outcome", methods=["POST"])
@limiter.limit(RATE_LIMIT)
def outcome(meeting_id: int):
    meeting = of_event_or_404(Meeting, meeting_id, g.event)
    if g.profile is None or g.profile.id not in (meeting.request.requester_id, meeting.request.recipient_id):
        abort(404)
    form = OutcomeForm()
    if not form.validate_on_submit():
        abort(400)
    meetings.report_outcome(g.profile, meeting, form.outcome.data)
    flash(_("Thank you: the outcome is saved."))
    return redirect(url_for(".home"))


def _schedule_or_404():
    if g.profile is None:
        abort(404)
    return meetings.published_meetings_of(g.profile)


@bp.route("/meetings.pdf")
@public_render
def schedule_pdf():
    schedule = _schedule_or_404()
    pdf = documents.personal_pdf(g.event, g.profile, schedule)
    return download(pdf, "application/pdf", f"{g.event.code or g.event.slug}-b2b-meetings.pdf")


@bp.route("/meetings.ics")
@public_render
def schedule_ics():
    schedule = _schedule_or_404()
    return download(documents.personal_ics(g.event, g.profile, schedule), "text/calendar; charset=utf-8",
                    f"{g.event.code or g.event.slug}-b2b-meetings.ics")

