"""The demo forum's sponsors, from the article: NCE "Atameken", the Akimat of Almaty, the
Ministry of Investment and Development, JSC "KAZNEX INVEST", the "Damu" fund and Almaty
Technological University. The article lists them as sponsors without tiers; the tiers here are
a plausible guess for the demo. Logos are placeholders drawn with Pillow."""

from __future__ import annotations

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.media import placeholders
from forumapp.programme.models import Event
from forumapp.sponsors.models import Sponsor
from forumapp.sponsors.services import DEFAULT_TIERS, create_default_tiers, event_tiers

# organisation (English name), tier (English name of a standard tier), logo colour
PARTNERS = [
    ('NCE RK "Atameken"', "General partner", (0, 90, 150)),
    ("Association of light industry enterprises", "Organiser", (138, 59, 18)),
    ("Akimat of Almaty", "Co-organiser", (0, 120, 170)),
    ("Ministry of Investment and Development of the Republic of Kazakhstan", "Official partner", (20, 60, 110)),
    ('JSC "KAZNEX INVEST"', "Official partner", (0, 130, 90)),
    ('Fund "Damu"', "Official partner", (220, 120, 0)),
    ("Almaty Technological University", "Supporter", (90, 40, 120)),
]
SHORT_NAMES = {"Ministry of Investment and Development of the Republic of Kazakhstan": "MID RK"}


def load(event: Event) -> None:
    if not event_tiers(event):
        create_default_tiers(event)
        db.session.flush()
    tiers = {tier.name.get("en"): tier for tier in event_tiers(event)}
    assert all(names["en"] in tiers for names in DEFAULT_TIERS) or tiers
    organisations = {o.name.get("en"): o for o in db.session.scalars(db.select(Organisation))}
    for english, tier_name, colour in PARTNERS:
        organisation, tier = organisations.get(english), tiers.get(tier_name)
        if organisation is None or tier is None:
            continue
        if not organisation.logo:
            organisation.logo = placeholders.logo(SHORT_NAMES.get(english, english.replace("NCE RK ", "")), colour).path
        sponsor = db.session.scalar(db.select(Sponsor).filter_by(event_id=event.id, organisation_id=organisation.id))
        if sponsor is None:
            db.session.add(
                Sponsor(event_id=event.id, tier_id=tier.id, organisation_id=organisation.id, position=len(tier.sponsors))
            )
            db.session.flush()
            db.session.refresh(tier)
