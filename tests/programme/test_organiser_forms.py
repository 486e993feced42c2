"""Forms that take fewer entries: the web address suggested from the title, time zone and
languages chosen from lists, required fields starred, people found and created from the item."""

import re

from forumapp.directory.models import Person
from forumapp.extensions import db
from forumapp.programme.models import Event, ItemPerson
from forumapp.programme.slugs import slugify
from tests.conftest import csrf_token, make_event, make_item


def new_event(client, **fields):
    data = {"title-en": "Light Industry Forum", "starts_on": "2016-06-09", "ends_on": "2016-06-10",
            "timezone": "Asia/Almaty", "status": "draft", "default_locale": "ru", "locale_fallback": "kk,ru,en",
            **fields}
    data["csrf_token"] = csrf_token(client, "/manage/events/new")
    return client.post("/manage/events/new", data=data)


def test_an_empty_web_address_is_made_from_the_title_and_kept_unique(admin_client):
    assert new_event(admin_client).status_code == 302
    assert new_event(admin_client).status_code == 302
    assert new_event(admin_client, **{"title-en": "", "title-kk": "Жеңіл өнеркәсіп форумы"}).status_code == 302
    slugs = db.session.scalars(db.select(Event.slug).order_by(Event.id)).all()
    assert slugs == ["light-industry-forum-2016", "light-industry-forum-2016-2", "zhenil-onerkasip-forumy-2016"]
    assert slugify("Форум «Шёлковый путь» 2016") == "forum-shelkovyi-put-2016"


def test_the_event_form_offers_lists_and_stars_what_is_required(admin_client):
    html = admin_client.get("/manage/events/new").get_data(as_text=True)
    assert "Web address" in html and ">Address<" not in html
    assert re.search(r'<select[^>]*name="timezone"', html) and '<option selected value="Asia/Almaty">' in html
    assert '<option selected value="kk,ru,en">Қазақша → Русский → English</option>' in html
    assert re.search(r'<label for="starts_on">First day <span class="required" aria-hidden="true">\*</span></label>', html)
    # A value outside the lists is refused with a field error.
    response = new_event(admin_client, timezone="Mars/Olympus", locale_fallback="kk,de")
    assert response.status_code == 200 and response.get_data(as_text=True).count('class="error"') >= 2


def test_people_are_found_and_created_from_the_item_form(admin_client):
    event = make_event()
    item = make_item(event)
    db.session.add_all([Person(name={"ru": "Гульмира Уахитова"}), Person(name={"en": "Daulet Bakbergen"})])
    db.session.commit()
    page = admin_client.get(f"/manage/e/test-forum/items/{item.id}?q=гульм").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="\d+"[^>]*>([^<]+)</option>', page.split('name="person-person_id"')[1].split("</select>")[0])
    assert options == ["Гульмира Уахитова"]
    assert "Nobody in the directory matches" in admin_client.get(
        f"/manage/e/test-forum/items/{item.id}?q=zzz").get_data(as_text=True)
    path = f"/manage/e/test-forum/items/{item.id}/people/new"
    token = csrf_token(admin_client, f"/manage/e/test-forum/items/{item.id}")
    response = admin_client.post(path, data={"csrf_token": token, "new-name": "Айгерим Сейтқали", "new-role": "moderator"})
    assert response.status_code == 302
    person = db.session.scalar(db.select(Person).where(Person.name["en"].as_string() == "Айгерим Сейтқали"))
    assert person is not None
    assert db.session.scalar(db.select(ItemPerson).filter_by(person_id=person.id, item_id=item.id)).role == "moderator"
    # A name is required; a made-up role is refused.
    before = db.session.scalar(db.select(db.func.count(Person.id)))
    admin_client.post(path, data={"csrf_token": token, "new-name": "", "new-role": "moderator"})
    admin_client.post(path, data={"csrf_token": token, "new-name": "X", "new-role": "king"})
    assert db.session.scalar(db.select(db.func.count(Person.id))) == before


def test_the_directory_has_search_and_pages(admin_client):
    db.session.add_all([Person(name={"ru": f"Участник {n:03d}"}) for n in range(120)] + [Person(name={"kk": "Әсел"})])
    db.session.commit()
    first = admin_client.get("/manage/people/").get_data(as_text=True)
    assert first.count("Участник ") == 50 and 'href="/manage/people/?page=3"' in first
    third = admin_client.get("/manage/people/?page=3").get_data(as_text=True)
    assert third.count("Участник ") == 20
    found = admin_client.get("/manage/people/?q=%D3%99%D1%81%D0%B5%D0%BB").get_data(as_text=True)
    assert "Әсел" in found and "Участник" not in found
    assert admin_client.get("/manage/people/?page=999").status_code == 200


def test_halls_are_given_with_a_new_event_and_bad_lines_are_field_errors(admin_client):
    from forumapp.programme.models import Hall

    response = new_event(admin_client, halls="Большой зал, 300\nМалый зал, много")
    assert response.status_code == 200 and "Line 2: the capacity must be a whole number." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert new_event(admin_client, halls="Большой зал, 300\n\nЗал «Алатау», 1, 2, 40\nФойе").status_code == 302
    halls = [(h.display_name, h.capacity) for h in db.session.scalars(db.select(Hall).order_by(Hall.position))]
    assert halls == [("Большой зал", 300), ("Зал «Алатау», 1, 2", 40), ("Фойе", None)]
    # Editing the event has no halls field: the halls page edits them.
    assert 'name="halls"' not in admin_client.get("/manage/e/light-industry-forum-2016/edit").get_data(as_text=True)
