"""A public page per organisation: members, people, appearances in published programmes,
collections, partnerships, and sections other areas register (awards)."""

from __future__ import annotations

from forumapp.directory import services as directory_services
from forumapp.directory.models import Organisation, Person
from forumapp.directory.services import Appearance, AppearanceSection
from forumapp.extensions import db
from forumapp.programme.models import ItemPerson
from forumapp.sponsors.models import Sponsor, SponsorTier
from tests.conftest import make_event, make_item
from tests.shows.helpers import make_collection


def org(en, kk=None, parent=None, kind="enterprise"):
    organisation = Organisation(name={"en": en, "kk": kk or en}, kind=kind, parent=parent)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def test_a_consortium_page_lists_its_members_and_people(client):
    association = org("Association of light industry enterprises", kind="association")
    zhasampaz = org("Zhasampaz consortium", "«Жасампаз» консорциумы", parent=association, kind="consortium")
    member = org("Kazlegprom", parent=zhasampaz, kind="fashion_house")
    chair = Person(name={"en": "Gulmira Uakhitova", "kk": "Гүлмира Уақытова"}, organisation=zhasampaz,
                   position={"en": "Chairman of the executive committee"})
    db.session.add(chair)
    db.session.commit()
    html = client.get(f"/organisations/{zhasampaz.id}?lang=kk").get_data(as_text=True)
    assert "«Жасампаз» консорциумы" in html and "Гүлмира Уақытова" in html
    assert f'href="/organisations/{member.id}"' in html and f'href="/organisations/{association.id}"' in html
    index = client.get("/organisations/?lang=en").get_data(as_text=True)
    assert "Kazlegprom" in index and "Zhasampaz consortium" in index
    assert client.get("/organisations/9999").status_code == 404


def test_appearances_come_only_from_published_events_and_items(client):
    brand = org("Semiramide", kind="fashion_house")
    designer = Person(name={"en": "Saule Zhanibekova"}, organisation=brand)
    db.session.add(designer)
    public = make_event()
    draft = make_event("draft-forum", status="draft")
    shown = make_item(public, "Round table on exports", kind="round_table")
    hidden_item = make_item(public, "Secret rehearsal", status="draft")
    hidden_event_item = make_item(draft, "Draft event session")
    for item in (shown, hidden_item, hidden_event_item):
        db.session.add(ItemPerson(item_id=item.id, person_id=designer.id, role="speaker"))
    make_collection(public, brand, {"en": "Almaty Evening"}, designers=[designer])
    make_collection(draft, brand, {"en": "Unreleased Line"})
    tier = SponsorTier(event_id=public.id, name={"en": "Official partner"})
    db.session.add(tier)
    db.session.flush()
    db.session.add(Sponsor(event_id=public.id, tier_id=tier.id, organisation_id=brand.id))
    db.session.commit()

    html = client.get(f"/organisations/{brand.id}").get_data(as_text=True)
    assert "In the programme" in html and "Round table on exports" in html
    assert "Secret rehearsal" not in html and "Draft event session" not in html
    assert "Collections" in html and "Almaty Evening" in html and "Unreleased Line" not in html
    assert "Partner of events" in html and "Official partner" in html
    assert html.index("In the programme") < html.index("Collections") < html.index("Partner of events")


def test_other_areas_add_sections_through_the_provider_hook(client):
    laureate = org("Aigul & Line")

    def awards(organisation):
        if organisation.id != laureate.id:
            return None
        return AppearanceSection("Awards", [Appearance("Best collection 2016", None, "Light Industry Forum")], order=40)

    directory_services.appearance_provider(awards)
    try:
        html = client.get(f"/organisations/{laureate.id}").get_data(as_text=True)
        assert "Best collection 2016" in html
        other = org("ZIBROO")
        assert "Best collection 2016" not in client.get(f"/organisations/{other.id}").get_data(as_text=True)
    finally:
        directory_services.APPEARANCE_PROVIDERS.remove(awards)


def test_names_with_html_are_text_on_organisation_pages(client):
    bad = org("<img src=x onerror=alert(1)>")
    html = client.get(f"/organisations/{bad.id}").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
