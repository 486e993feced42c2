"""The page cache never shows an old page: the first request after an organiser's edit shows
the edit, on every cached page and export, because the edit bumps the event's data version in the
same transaction (forumapp.caching.versions)."""

import io
import json

import pytest
from pypdf import PdfReader

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from tests.conftest import csrf_token

OLD_EN = "Round table on looms"
NEW_EN = "Round table on dyes"


def text_of(response) -> str:
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def public_pages(forum) -> list[str]:
    event, round_table = forum["event"], forum["items"][1]
    zhasampaz = db.session.scalar(db.select(Organisation))
    base = f"/e/{event.slug}"
    return [
        f"{base}/", f"{base}/programme", f"{base}/programme?kind=round_table", f"{base}/items/{round_table.id}",
        f"{base}/schedule.json", f"{base}/schedule.xml", f"{base}/programme.ics", f"{base}/programme.pdf",
        f"/organisations/{zhasampaz.id}",
    ]


@pytest.fixture
def forum(small_forum):
    round_table = small_forum["items"][1]
    round_table.title = {**round_table.title, "en": OLD_EN}
    db.session.commit()
    return small_forum


def edit_item_title(client, event, item, en_title):
    path = f"/manage/e/{event.slug}/items/{item.id}"
    local = item.local_start
    data = {
        "csrf_token": csrf_token(client, path), "kind": item.kind, "title-ru": item.title["ru"],
        "title-kk": item.title.get("kk", ""), "title-en": en_title, "day": local.date().isoformat(),
        "start": local.strftime("%H:%M"), "end": item.local_end.strftime("%H:%M"),
        "hall_id": item.hall_id or 0, "track_id": item.track_id or 0, "status": "published",
    }
    response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_an_edited_item_title_shows_on_every_cached_page_at_the_next_request(admin_client, visitor, forum):
    pages = public_pages(forum)
    for path in pages:
        first = visitor.get(path)
        assert first.status_code == 200 and OLD_EN in text_of(first), path
        assert first.headers["Cache-Control"].startswith("public"), path
        again = visitor.get(path)
        assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"], path

    edit_item_title(admin_client, forum["event"], forum["items"][1], NEW_EN)

    for path in pages:
        text = text_of(visitor.get(path))
        assert NEW_EN in text and OLD_EN not in text, path


def test_a_renamed_person_shows_at_once_on_pages_of_every_event_they_appear_in(admin_client, visitor, forum):
    """A directory record is shared by events: renaming it bumps all of them (and the site)."""
    from forumapp.programme.models import ItemPerson
    from tests.conftest import make_event, make_item

    gulmira = db.session.scalar(db.select(Person).where(Person.name["en"].as_string() == "Gulmira Uakhitova"))
    other = make_event(slug="other-forum")
    talk = make_item(other, "Доклад")
    db.session.add(ItemPerson(item=talk, person=gulmira, role="speaker"))
    db.session.commit()
    pages = ["/e/test-forum/programme", f"/e/test-forum/items/{forum['items'][1].id}", "/e/test-forum/programme.pdf",
             f"/e/other-forum/items/{talk.id}", "/e/other-forum/schedule.json", f"/organisations/{gulmira.organisation_id}"]
    for path in pages:
        assert "Gulmira Uakhitova" in text_of(visitor.get(path)), path

    path = f"/manage/people/{gulmira.id}"
    response = admin_client.post(path, data={
        "csrf_token": csrf_token(admin_client, path), "name-kk": "Гүлмира Уақытова", "name-en": "Gulmira Uakytova",
        "organisation_id": gulmira.organisation_id,
    })
    assert response.status_code == 302

    for path in pages:
        text = text_of(visitor.get(path))
        assert "Gulmira Uakytova" in text and "Gulmira Uakhitova" not in text, path


def test_a_new_partner_shows_on_the_event_home_at_once(visitor, forum):
    from forumapp.sponsors.models import Sponsor, SponsorTier

    event = forum["event"]
    assert "Zhasampaz consortium" not in visitor.get("/e/test-forum/").get_data(as_text=True)
    tier = SponsorTier(event=event, name={"en": "General partner"})
    db.session.add(tier)
    db.session.flush()
    zhasampaz = db.session.scalar(db.select(Organisation))
    db.session.add(Sponsor(event_id=event.id, tier_id=tier.id, organisation_id=zhasampaz.id))
    db.session.commit()
    assert "Zhasampaz consortium" in visitor.get("/e/test-forum/").get_data(as_text=True)


def test_an_edited_collection_shows_in_the_show_leaflet_at_once(visitor):
    from tests.conftest import make_event, make_item
    from tests.shows.helpers import make_brand, make_collection, make_show

    event = make_event()
    show_item = make_item(event, "Показ", kind="collection_show")
    collection = make_collection(event, make_brand(), {"en": "Steppe Wind", "ru": "Степной ветер"})
    make_show(show_item, [(collection, None)])
    path = f"/e/{event.slug}/shows/{show_item.id}/leaflet.pdf"
    assert "Steppe Wind" in text_of(visitor.get(path))
    assert visitor.get(path).headers["Cache-Control"].startswith("public")

    collection.title = {"en": "Mountain Wind", "ru": "Горный ветер"}
    db.session.commit()
    text = text_of(visitor.get(path))
    assert "Mountain Wind" in text and "Steppe Wind" not in text


def test_an_unpublished_item_disappears_from_the_cached_exports(visitor, forum):
    data = json.loads(visitor.get("/e/test-forum/schedule.json").data)
    assert OLD_EN in json.dumps(data, ensure_ascii=False)
    round_table = db.session.get(ProgrammeItem, forum["items"][1].id)
    round_table.status = "draft"
    db.session.commit()
    assert OLD_EN not in visitor.get("/e/test-forum/schedule.json").get_data(as_text=True)
    assert visitor.get(f"/e/test-forum/items/{round_table.id}").status_code == 404


def test_show_collection_results_and_organisation_index_pages_show_an_edit_at_once(visitor):
    """The show, collection, award results and organisations index pages are cached too."""
    from forumapp.awards.models import Ceremony, Laureate, Nomination
    from tests.conftest import make_event, make_item
    from tests.shows.helpers import make_brand, make_collection, make_show

    event = make_event()
    show_item = make_item(event, "Показ", kind="collection_show")
    brand = make_brand()
    collection = make_collection(event, brand, {"en": "Steppe Wind", "ru": "Степной ветер"})
    make_show(show_item, [(collection, None)])
    ceremony_item = make_item(event, "Церемония", kind="award_ceremony", start="18:00", end="19:00")
    ceremony = Ceremony(item=ceremony_item, results_published=True)
    nomination = Nomination(ceremony=ceremony, title={"en": "Best producer"})
    db.session.add_all([ceremony, nomination, Laureate(nomination=nomination, organisation=brand)])
    db.session.commit()
    pages = {
        f"/e/{event.slug}/shows/{show_item.id}": "Steppe Wind",
        f"/e/{event.slug}/collections/{collection.id}": "Steppe Wind",
        f"/e/{event.slug}/awards/{ceremony_item.id}": "Best producer",
        "/organisations/": brand.name["en"],
    }
    for path, old in pages.items():
        first = visitor.get(path)
        assert first.status_code == 200 and old in first.get_data(as_text=True), path
        assert first.headers["Cache-Control"].startswith("public"), path
        assert visitor.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304, path

    collection.title = {"en": "Mountain Wind", "ru": "Горный ветер"}
    nomination.title = {"en": "Best exporter"}
    brand.name = {**brand.name, "en": "Renamed brand"}
    db.session.commit()
    new = {"shows": "Mountain Wind", "collections": "Mountain Wind", "awards": "Best exporter",
           "organisations": "Renamed brand"}
    for path, old in pages.items():
        text = visitor.get(path).get_data(as_text=True)
        expected = next(value for key, value in new.items() if f"/{key}/" in path)
        assert expected in text and old not in text, path
