"""Partners by tier: the standard tiers, ordering, and plain data for pages, PDFs and certificates."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.lookups import of_event_or_404
from forumapp.programme.models import Event
from forumapp.sponsors.models import Sponsor, SponsorTier

# The tiers most Kazakhstani forums use; organisers rename, reorder or remove them.
DEFAULT_TIERS = [
    {"kk": "Бас серіктес", "ru": "Генеральный партнёр", "en": "General partner"},
    {"kk": "Ұйымдастырушы", "ru": "Организатор", "en": "Organiser"},
    {"kk": "Бірлескен ұйымдастырушы", "ru": "Соорганизатор", "en": "Co-organiser"},
    {"kk": "Ресми серіктес", "ru": "Официальный партнёр", "en": "Official partner"},
    {"kk": "Ақпараттық серіктес", "ru": "Информационный партнёр", "en": "Media partner"},
    {"kk": "Қолдау көрсетуші", "ru": "При поддержке", "en": "Supporter"},
]


def event_tiers(event: Event) -> list[SponsorTier]:
    return list(
        db.session.scalars(
            db.select(SponsorTier)
            .filter_by(event_id=event.id)
            .options(selectinload(SponsorTier.sponsors).selectinload(Sponsor.organisation))
            .order_by(SponsorTier.position, SponsorTier.id)
        )
    )


def create_default_tiers(event: Event) -> list[SponsorTier]:
    start = len(event_tiers(event))
    tiers = [SponsorTier(event_id=event.id, name=dict(names), position=start + n) for n, names in enumerate(DEFAULT_TIERS)]
    db.session.add_all(tiers)
    return tiers


def tier_of_event_or_404(event: Event, tier_id: int) -> SponsorTier:
    return of_event_or_404(SponsorTier, tier_id, event)


def sponsor_of_event_or_404(event: Event, sponsor_id: int) -> Sponsor:
    return of_event_or_404(Sponsor, sponsor_id, event)


def sponsors_by_tier(event: Event, *, certificates: bool = False, lang: str | None = None) -> list[dict]:
    """Plain data, tiers in order, partners in order within each; empty tiers are left out.

    [{"tier_id": 1, "tier": "General partner",
      "partners": [{"id", "organisation_id", "name", "url", "logo"}]}]
    `logo` is a path in the storage (media/) (or None): media_url(logo) on pages, /media/<logo> in PDFs.
    With certificates=True only partners marked to appear on certificates are listed.
    """
    fallback = event.fallback_order
    result = []
    for tier in event_tiers(event):
        partners = [
            {
                "id": sponsor.id,
                "organisation_id": sponsor.organisation_id,
                "name": pick(sponsor.organisation.name, lang, fallback),
                "url": sponsor.shown_url,
                "logo": sponsor.shown_logo,
            }
            for sponsor in tier.sponsors
            if sponsor.on_certificates or not certificates
        ]
        if partners:
            result.append({"tier_id": tier.id, "tier": pick(tier.name, lang, fallback), "partners": partners})
    return result


def supported_events(organisation: Organisation, *, public_only: bool = True) -> list[Sponsor]:
    query = db.select(Sponsor).filter_by(organisation_id=organisation.id).join(Event, Event.id == Sponsor.event_id)
    if public_only:
        query = query.where(Event.status.in_(("published", "archived")))
    return list(db.session.scalars(query.order_by(Event.starts_on.desc())))
