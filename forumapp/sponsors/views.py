"""Sponsors and partners: organisers' pages under /manage/e/<slug>/partners. Partners are shown
on the event's home page (templates/sponsors/_partners.html) and on the programme PDF's back
page (templates/sponsors/pdf/_partners_page.html)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from forumapp.directory.services import Appearance, AppearanceSection, all_organisations, appearance_provider
from forumapp.extensions import db
from forumapp.media.forms import commit_with_image
from forumapp.media.images import delete_image
from forumapp.ordering import move_one_place, offset_of
from forumapp.programme.event_pages import organiser_pages
from forumapp.sponsors.forms import SponsorForm, TierForm
from forumapp.sponsors.models import Sponsor, SponsorTier
from forumapp.sponsors.services import (
    create_default_tiers,
    event_tiers,
    sponsor_of_event_or_404,
    sponsors_by_tier,
    supported_events,
    tier_of_event_or_404,
)

bp = organiser_pages(Blueprint("sponsors", __name__, url_prefix="/manage/e/<slug>/partners"))



def _sponsor_form(sponsor=None, tiers=None):
    form = SponsorForm(obj=sponsor, organisations=all_organisations(), tiers=tiers or event_tiers(g.event), prefix="partner")
    if sponsor is None and not form.is_submitted():
        form.organisation_id.data = 0
    if sponsor is None or not sponsor.logo:
        del form.remove_logo
    return form


def _page(*, tier_form=None, sponsor_form=None):
    tiers = event_tiers(g.event)
    return render_template(
        "sponsors/manage/partners.html",
        event=g.event,
        tiers=tiers,
        tier_form=tier_form or TierForm(prefix="tier"),
        sponsor_form=sponsor_form or _sponsor_form(tiers=tiers),
    )


@bp.route("/")
def partners():
    return _page()


@bp.route("/standard-tiers", methods=["POST"])
def standard_tiers():
    if event_tiers(g.event):
        flash(_("This event already has tiers."), "error")
    else:
        create_default_tiers(g.event)
        db.session.commit()
        flash(_("The standard tiers were created. Rename or reorder them as you need."))
    return redirect(url_for(".partners"))


@bp.route("/tiers", methods=["POST"])
def add_tier():
    form = TierForm(prefix="tier")
    if not form.validate_on_submit():
        return _page(tier_form=form)
    db.session.add(SponsorTier(event_id=g.event.id, name=form.name.data, position=len(event_tiers(g.event))))
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for(".partners"))


@bp.route("/tiers/<int:tier_id>", methods=["GET", "POST"])
def tier(tier_id: int):
    tier = tier_of_event_or_404(g.event, tier_id)
    form = TierForm(obj=tier, prefix="tier")
    if form.validate_on_submit():
        tier.name = form.name.data
        db.session.commit()
        flash(_("Saved."))
        return redirect(url_for(".partners"))
    return render_template("sponsors/manage/tier.html", event=g.event, tier=tier, form=form)


@bp.route("/tiers/<int:tier_id>/move", methods=["POST"])
def move_tier(tier_id: int):
    tier = tier_of_event_or_404(g.event, tier_id)
    move_one_place(event_tiers(g.event), tier, offset_of(request.form.get("direction")))
    db.session.commit()
    return redirect(url_for(".partners"))


@bp.route("/tiers/<int:tier_id>/remove", methods=["POST"])
def remove_tier(tier_id: int):
    tier = tier_of_event_or_404(g.event, tier_id)
    if tier.sponsors:
        flash(_("Move or remove this tier's partners first."), "error")
        return redirect(url_for(".partners"))
    db.session.delete(tier)
    db.session.commit()
    return redirect(url_for(".partners"))


def _taken(organisation_id: int, except_id: int | None = None) -> bool:
    query = db.select(Sponsor.id).filter_by(event_id=g.event.id, organisation_id=organisation_id)
    if except_id:
        query = query.where(Sponsor.id != except_id)
    return db.session.scalar(query) is not None


@bp.route("/add", methods=["POST"])
def add_sponsor():
    tiers = event_tiers(g.event)
    form = _sponsor_form(tiers=tiers)
    if form.validate_on_submit():
        if _taken(form.organisation_id.data):
            form.organisation_id.errors.append(_("This organisation is already a partner of the event."))
        else:
            tier = next(t for t in tiers if t.id == form.tier_id.data)
            sponsor = Sponsor(event_id=g.event.id, position=len(tier.sponsors))
            form.populate_obj(sponsor)
            sponsor.url = form.url.data or ""
            db.session.add(sponsor)
            commit_with_image(db.session, sponsor, "logo", form.logo)
            flash(_("Saved %(name)s.", name=sponsor.display_name))
            return redirect(url_for(".partners"))
    return _page(sponsor_form=form)


@bp.route("/<int:sponsor_id>", methods=["GET", "POST"])
def sponsor(sponsor_id: int):
    sponsor = sponsor_of_event_or_404(g.event, sponsor_id)
    form = _sponsor_form(sponsor)
    if form.validate_on_submit():
        if _taken(form.organisation_id.data, except_id=sponsor.id):
            form.organisation_id.errors.append(_("This organisation is already a partner of the event."))
        else:
            if form.tier_id.data != sponsor.tier_id:
                new_tier = tier_of_event_or_404(g.event, form.tier_id.data)
                sponsor.position = len(new_tier.sponsors)
            form.populate_obj(sponsor)
            sponsor.url = form.url.data or ""
            remove = "remove_logo" in form and form.remove_logo.data
            commit_with_image(db.session, sponsor, "logo", form.logo, remove=remove)
            flash(_("Saved %(name)s.", name=sponsor.display_name))
            return redirect(url_for(".partners"))
    db.session.rollback()
    return render_template("sponsors/manage/sponsor.html", event=g.event, sponsor=sponsor, form=form)


@bp.route("/<int:sponsor_id>/move", methods=["POST"])
def move_sponsor(sponsor_id: int):
    sponsor = sponsor_of_event_or_404(g.event, sponsor_id)
    move_one_place(sponsor.tier.sponsors, sponsor, offset_of(request.form.get("direction")))
    db.session.commit()
    return redirect(url_for(".partners"))


@bp.route("/<int:sponsor_id>/remove", methods=["POST"])
def remove_sponsor(sponsor_id: int):
    sponsor = sponsor_of_event_or_404(g.event, sponsor_id)
    own_logo = sponsor.logo
    db.session.delete(sponsor)
    db.session.commit()
    delete_image(own_logo)
    return redirect(url_for(".partners"))


bp.add_app_template_global(sponsors_by_tier, "sponsors_by_tier")


@appearance_provider
def partner_appearances(organisation) -> AppearanceSection:
    entries = [
        Appearance(
            title=sponsor.tier.event.display_title,
            url=url_for("programme.event_home", slug=sponsor.tier.event.slug),
            detail=sponsor.tier.display_name,
        )
        for sponsor in supported_events(organisation)
    ]
    return AppearanceSection(_("Partner of events"), entries, order=30)
