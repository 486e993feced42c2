"""Organisers set up partner tiers and partners; the public sees them by tier on the event page
and on the programme PDF's back page; certificates get plain data."""

from __future__ import annotations

import io
import re

from forumapp.directory.models import Organisation
from forumapp.extensions import db
from forumapp.sponsors.models import Sponsor, SponsorTier
from forumapp.sponsors.services import sponsors_by_tier
from tests.conftest import csrf_token, login, make_event, make_item, make_user
from tests.media import samples
from tests.media.test_uploads import media_files
from tests.shows.helpers import pdf_pages

PAGE = "/manage/e/test-forum/partners/"


def organisation(en, kk=None, **fields):
    org = Organisation(name={"en": en, "kk": kk or en, "ru": en}, kind=fields.pop("kind", "enterprise"), **fields)
    db.session.add(org)
    db.session.commit()
    return org


def tier_names(client) -> list[str]:
    html = client.get(PAGE).get_data(as_text=True)
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<section class="card tier" id="tier-\d+">\s*<div class="tier-heading">\s*<h2>([^<]+)<', html)]


def add_partner(client, org, tier, *, logo=None, url="", on_certificates=True):
    data = {"csrf_token": csrf_token(client, PAGE), "partner-organisation_id": org.id, "partner-tier_id": tier.id,
            "partner-url": url}
    if on_certificates:
        data["partner-on_certificates"] = "y"
    if logo is not None:
        data["partner-logo"] = (io.BytesIO(logo[1]), logo[0])
    return client.post(PAGE + "add", data=data, content_type="multipart/form-data")


def tiers():
    return {t.name["en"]: t for t in db.session.scalars(db.select(SponsorTier))}


def test_standard_tiers_can_be_renamed_and_reordered(admin_client):
    make_event()
    assert "Create the standard tiers" in admin_client.get(PAGE).get_data(as_text=True)
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    assert tier_names(admin_client) == ["General partner", "Organiser", "Co-organiser", "Official partner",
                                        "Media partner", "Supporter"]
    media = tiers()["Media partner"]
    url = f"{PAGE}tiers/{media.id}"
    response = admin_client.post(url, data={"csrf_token": csrf_token(admin_client, url), "tier-name-en": "Information partner",
                                            "tier-name-kk": "Ақпараттық серіктес"})
    assert response.status_code == 302
    admin_client.post(f"{PAGE}tiers/{media.id}/move", data={"csrf_token": csrf_token(admin_client, PAGE), "direction": "up"})
    assert tier_names(admin_client)[2:5] == ["Co-organiser", "Information partner", "Official partner"]
    empty = admin_client.post(url, data={"csrf_token": csrf_token(admin_client, url), "tier-name-kk": "",
                                         "tier-name-ru": " ", "tier-name-en": ""})
    assert "Fill in at least one language." in empty.get_data(as_text=True)
    # A second click does not duplicate them.
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    assert len(tier_names(admin_client)) == 6


def test_partners_are_shown_by_tier_with_logos_on_the_event_page(app, admin_client):
    event = make_event()
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    atameken = organisation('NCE "Atameken"', "«Атамекен» ҰКП", website="https://atameken.kz")
    damu = organisation('Fund "Damu"', "«Даму» қоры")
    akimat = organisation("Akimat of Almaty", "Алматы қаласының әкімдігі")
    assert add_partner(admin_client, damu, tiers()["Official partner"]).status_code == 302
    assert add_partner(admin_client, akimat, tiers()["Official partner"]).status_code == 302
    assert add_partner(admin_client, atameken, tiers()["General partner"], logo=("logo.png", samples.png(300, 100))).status_code == 302
    sponsor = db.session.scalar(db.select(Sponsor).filter_by(organisation_id=atameken.id))
    assert sponsor.logo and sponsor.logo in media_files(app)

    # Akimat moves before Damu within its tier.
    akimat_sponsor = db.session.scalar(db.select(Sponsor).filter_by(organisation_id=akimat.id))
    admin_client.post(f"{PAGE}{akimat_sponsor.id}/move", data={"csrf_token": csrf_token(admin_client, PAGE), "direction": "up"})

    html = admin_client.get(f"/e/{event.slug}/?lang=kk").get_data(as_text=True)
    section = html[html.index('class="partners"'):]
    assert section.index("Бас серіктес") < section.index("Ресми серіктес")
    assert section.index("«Атамекен» ҰКП") < section.index("Алматы қаласының әкімдігі") < section.index("«Даму» қоры")
    assert "Ақпараттық серіктес" not in section  # empty tiers are left out
    assert f"/media/{sponsor.logo.replace('.jpg', '-thumb.jpg')}" in section
    assert 'href="https://atameken.kz"' in section


def test_bad_partner_input_is_refused_with_field_errors(app, admin_client):
    make_event()
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    org = organisation("ZIBROO")
    before = media_files(app)
    response = add_partner(admin_client, org, tiers()["Supporter"], logo=("logo.svg", samples.SVG))
    assert response.status_code == 200 and "SVG images are not accepted" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Sponsor.id))) == 0 and media_files(app) == before
    assert add_partner(admin_client, org, tiers()["Supporter"]).status_code == 302
    twice = add_partner(admin_client, org, tiers()["General partner"])
    assert "already a partner of the event" in twice.get_data(as_text=True)
    none = admin_client.post(PAGE + "add", data={"csrf_token": csrf_token(admin_client, PAGE), "partner-organisation_id": "0",
                                                 "partner-tier_id": tiers()["Supporter"].id})
    assert "Choose the organisation." in none.get_data(as_text=True)
    # A tier with partners cannot be removed; an empty one can.
    admin_client.post(f"{PAGE}tiers/{tiers()['Supporter'].id}/remove", data={"csrf_token": csrf_token(admin_client, PAGE)})
    assert "Supporter" in tiers()
    admin_client.post(f"{PAGE}tiers/{tiers()['Media partner'].id}/remove", data={"csrf_token": csrf_token(admin_client, PAGE)})
    assert "Media partner" not in tiers()


def test_the_programme_pdf_ends_with_the_partners_page(admin_client):
    event = make_event()
    make_item(event, "Пленарное заседание")
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    add_partner(admin_client, organisation("Almaty Technological University", "Алматы технологиялық университеті"),
                tiers()["Supporter"], logo=("logo.png", samples.png(200, 80)))
    add_partner(admin_client, organisation('NCE "Atameken"', "«Атамекен» ҰКП"), tiers()["General partner"])
    response = admin_client.get(f"/e/{event.slug}/programme.pdf?lang=kk")
    assert response.status_code == 200
    assert b"/Subtype /Image" in response.data or b"/Subtype/Image" in response.data  # the logo, via the safe fetcher
    pages = pdf_pages(response.data)
    last = " ".join(pages[-1].split())
    assert "Серіктестер мен демеушілер" in last
    assert "«Атамекен» ҰКП" in last and "Алматы технологиялық университеті" in last
    assert last.upper().index("БАС СЕРІКТЕС") < last.upper().index("ҚОЛДАУ КӨРСЕТУШІ")
    assert "Пленарное заседание" in "\n".join(pages[:-1]) and "Пленарное заседание" not in last


def test_a_programme_without_partners_has_no_partners_page(client):
    event = make_event()
    make_item(event, "Пленарное заседание")
    pages = pdf_pages(client.get(f"/e/{event.slug}/programme.pdf").data)
    assert not any("Partners and sponsors" in page for page in pages)


def test_sponsors_by_tier_gives_plain_data_for_certificates(admin_client):
    event = make_event()
    admin_client.post(PAGE + "standard-tiers", data={"csrf_token": csrf_token(admin_client, PAGE)})
    add_partner(admin_client, organisation("Akimat of Almaty"), tiers()["Co-organiser"])
    add_partner(admin_client, organisation("Media KZ"), tiers()["Media partner"], on_certificates=False)
    everyone = sponsors_by_tier(event, lang="en")
    assert [(t["tier"], [p["name"] for p in t["partners"]]) for t in everyone] == [
        ("Co-organiser", ["Akimat of Almaty"]), ("Media partner", ["Media KZ"])]
    assert set(everyone[0]["partners"][0]) == {"id", "organisation_id", "name", "url", "logo"}
    on_certificates = sponsors_by_tier(event, certificates=True, lang="en")
    assert [t["tier"] for t in on_certificates] == ["Co-organiser"]


def test_only_organisers_manage_partners(client):
    make_event()
    make_user("stranger@example.kz")
    login(client, "stranger@example.kz")
    assert client.get(PAGE).status_code == 403
