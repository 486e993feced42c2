"""An organiser builds a small forum through the management pages, sees warnings, publishes."""

from forumapp.extensions import db
from forumapp.programme.models import Event, Hall, ItemPerson, ProgrammeItem
from tests.conftest import csrf_token


def post(client, path, data, form_path=None):
    data = {**data, "csrf_token": csrf_token(client, form_path or path)}
    return client.post(path, data=data)


def create_event(client, slug="almaty-forum", **overrides):
    data = {
        "title-kk": "Жеңіл өнеркәсіп форумы",
        "title-ru": "Форум лёгкой промышленности",
        "title-en": "Light Industry Forum",
        "slug": slug,
        "starts_on": "2016-06-09",
        "ends_on": "2016-06-10",
        "timezone": "Asia/Almaty",
        "city-ru": "Алматы",
        "status": "draft",
        "default_locale": "ru",
        "locale_fallback": "kk,ru,en",
        "code": "LIF-2016",
        **overrides,
    }
    return post(client, "/manage/events/new", data)


def add_hall(client, slug, name, capacity):
    return post(client, f"/manage/e/{slug}/halls", {"name-ru": name, "capacity": capacity, "position": 0})


def add_item(client, slug, title, start, end, hall_id, day="2016-06-09", **extra):
    data = {"kind": "round_table", "title-ru": title, "day": day, "start": start, "end": end,
            "hall_id": hall_id, "track_id": 0, "status": "draft", **extra}
    return post(client, f"/manage/e/{slug}/items/new", data)


def add_person(client, name_kk, name_en):
    return post(client, "/manage/people/new", {"name-kk": name_kk, "name-en": name_en, "organisation_id": 0})


def test_organiser_builds_checks_and_publishes_a_forum(admin_client):
    client = admin_client
    assert create_event(client).status_code == 302
    event = db.session.scalar(db.select(Event).filter_by(slug="almaty-forum"))
    assert event.title["kk"] == "Жеңіл өнеркәсіп форумы" and event.status == "draft"

    assert add_hall(client, "almaty-forum", "Большой зал", 50).status_code == 302
    assert add_hall(client, "almaty-forum", "Малый зал", 20).status_code == 302
    big, small = db.session.scalars(db.select(Hall).order_by(Hall.id)).all()

    assert add_person(client, "Гүлмира Уақытова", "Gulmira Uakhitova").status_code == 302
    assert add_item(client, "almaty-forum", "Круглый стол «Жасампаз»", "10:00", "11:30", big.id, capacity=80).status_code == 302
    assert add_item(client, "almaty-forum", "<b>Школьная форма</b>", "11:00", "12:00", big.id).status_code == 302
    assert add_item(client, "almaty-forum", "Кооперация", "11:00", "12:00", small.id).status_code == 302
    round_table, uniform, cooperation = db.session.scalars(db.select(ProgrammeItem).order_by(ProgrammeItem.id)).all()
    # Stored in UTC: 10:00 in Almaty (UTC+6 in 2016) is 04:00 UTC.
    assert round_table.starts_at.hour == 4

    person_id = db.session.scalar(db.select(ItemPerson.person_id)) or 1
    for item, role in ((round_table, "moderator"), (cooperation, "speaker")):
        response = post(
            client,
            f"/manage/e/almaty-forum/items/{item.id}/people",
            {"person-person_id": person_id, "person-role": role},
            form_path=f"/manage/e/almaty-forum/items/{item.id}",
        )
        assert response.status_code == 302

    schedule = client.get("/manage/e/almaty-forum/").get_data(as_text=True)
    assert 'data-kind="hall_double_booked"' in schedule
    assert 'data-kind="person_double_booked"' in schedule
    assert 'data-kind="over_hall_capacity"' in schedule
    assert "Гүлмира Уақытова" in schedule or "Gulmira Uakhitova" in schedule
    assert "&lt;b&gt;Школьная форма&lt;/b&gt;" in schedule
    assert client.get("/manage/e/almaty-forum/?view=list").status_code == 200

    # Nothing is public yet.
    assert client.get("/e/almaty-forum/").status_code == 404
    # Publishing with open warnings shows them and changes nothing until confirmed.
    asked = post(client, "/manage/e/almaty-forum/publish", {"status": "published"}, form_path="/manage/e/almaty-forum/")
    assert asked.status_code == 200 and "Publish with warnings?" in asked.get_data(as_text=True)
    assert asked.get_data(as_text=True).count('class="warning" data-kind=') == 3
    assert client.get("/e/almaty-forum/").status_code == 404
    post(client, "/manage/e/almaty-forum/publish", {"status": "published", "confirm": "yes"},
         form_path="/manage/e/almaty-forum/")
    assert client.get("/e/almaty-forum/programme").status_code == 200
    assert "Кооперация" not in client.get("/e/almaty-forum/programme?lang=ru").get_data(as_text=True)

    asked = post(client, "/manage/e/almaty-forum/items/publish-all", {}, form_path="/manage/e/almaty-forum/")
    assert asked.status_code == 200 and 'data-kind="hall_double_booked"' in asked.get_data(as_text=True)
    assert "Кооперация" not in client.get("/e/almaty-forum/programme?lang=ru").get_data(as_text=True)
    done = post(client, "/manage/e/almaty-forum/items/publish-all", {"confirm": "yes"}, form_path="/manage/e/almaty-forum/")
    assert done.status_code == 302
    programme = client.get("/e/almaty-forum/programme?lang=ru").get_data(as_text=True)
    assert "Кооперация" in programme and "&lt;b&gt;Школьная форма&lt;/b&gt;" in programme
    assert "время Алматы (UTC+06:00)" in programme  # the zone in words, with its offset
    item_page = client.get(f"/e/almaty-forum/items/{cooperation.id}?lang=kk").get_data(as_text=True)
    assert "Гүлмира Уақытова" in item_page

    # A cancelled item leaves the public programme.
    post(client, f"/manage/e/almaty-forum/items/{uniform.id}/status", {"status": "cancelled"},
         form_path=f"/manage/e/almaty-forum/items/{uniform.id}")
    assert client.get(f"/e/almaty-forum/items/{uniform.id}").status_code == 404


def test_programme_filters_by_kind_and_track(client):
    from forumapp.programme.models import Track
    from tests.conftest import make_event, make_item

    event = make_event()
    track = Track(event=event, name={"ru": "Мода"})
    db.session.add(track)
    db.session.commit()
    make_item(event, "Пленарное заседание о проблемах отрасли", kind="plenary")
    make_item(event, "Показ коллекций ZIBROO", start="17:00", end="18:00", kind="collection_show", track_id=track.id)
    by_kind = client.get("/e/test-forum/programme?kind=collection_show&lang=ru").get_data(as_text=True)
    assert "Показ коллекций ZIBROO" in by_kind and "Пленарное заседание о проблемах отрасли" not in by_kind
    by_track = client.get(f"/e/test-forum/programme?track={track.id}&lang=ru").get_data(as_text=True)
    assert "Показ коллекций ZIBROO" in by_track and "Пленарное заседание о проблемах отрасли" not in by_track


def test_event_settings_are_refused_with_field_errors(admin_client):
    create_event(admin_client, slug="taken")
    cases = [
        ({"slug": "taken"}, "already taken"),
        ({"slug": "Not A Slug!"}, "lower-case Latin letters"),
        ({"ends_on": "2016-06-01"}, "cannot be before the first day"),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"title-kk": "", "title-ru": "", "title-en": ""}, "Fill in at least one language"),
        ({"starts_on": "yesterday"}, "Not a valid date value"),
        ({"locale_fallback": "kk,de"}, "at most once"),
        ({"title-ru": "Ф" * 10_000}, "cannot be longer than 300"),
    ]
    for overrides, message in cases:
        response = create_event(admin_client, slug=overrides.pop("slug", "fresh-slug"), **overrides)
        assert response.status_code == 200, overrides
        assert message in response.get_data(as_text=True), (overrides, message)
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1


def test_item_form_refuses_bad_times(admin_client):
    create_event(admin_client)
    add_hall(admin_client, "almaty-forum", "Зал", 10)
    hall_id = db.session.scalar(db.select(Hall.id))
    cases = [
        ({"start": "12:00", "end": "11:00"}, "The end must be after the start"),
        ({"day": "2016-07-01"}, "on one of the event"),
        ({"start": "25:99"}, "Not a valid time value"),
        ({"hall_id": "999999"}, "Not a valid choice"),
        ({"capacity": "-5"}, "Number must be between 0 and 1000000"),
        ({"kind": "rave"}, "Not a valid choice"),
    ]
    for overrides, message in cases:
        base = {"start": "10:00", "end": "11:00"}
        response = add_item(admin_client, "almaty-forum", "Стол", **{**base, "hall_id": hall_id, **overrides})
        assert response.status_code == 200, overrides
        assert message in response.get_data(as_text=True), (overrides, message)
    assert db.session.scalar(db.select(db.func.count(ProgrammeItem.id))) == 0


def test_other_forms_refuse_bad_input(admin_client):
    create_event(admin_client)
    assert "Fill in at least one language" in add_hall(admin_client, "almaty-forum", "", 10).get_data(as_text=True)
    assert "Not a valid integer value" in add_hall(admin_client, "almaty-forum", "Зал", "many").get_data(as_text=True)
    response = post(admin_client, "/manage/e/almaty-forum/tracks", {"name-ru": "Мода", "color": "red"})
    assert "Use a colour like" in response.get_data(as_text=True)
    response = post(admin_client, "/manage/people/new", {"name-ru": "Асель", "email": "not-an-email", "organisation_id": 0})
    assert "Invalid email address" in response.get_data(as_text=True)
    response = post(admin_client, "/manage/organisations/new", {"name-ru": "", "kind": "enterprise", "parent_id": 0})
    assert "Fill in at least one language" in response.get_data(as_text=True)
    response = post(admin_client, "/manage/e/almaty-forum/team", {"email": "new@example.kz", "role": "organiser"})
    assert "needs a password" in response.get_data(as_text=True)
    # A form without its CSRF token is refused, not saved.
    response = admin_client.post("/manage/e/almaty-forum/halls", data={"name-ru": "Зал без токена"})
    assert response.status_code in (200, 400)
    assert db.session.scalar(db.select(db.func.count(Hall.id))) == 0


def test_organisation_cannot_join_its_own_member(admin_client):
    post(admin_client, "/manage/organisations/new", {"name-en": "Zhasampaz", "kind": "consortium", "parent_id": 0})
    from forumapp.directory.models import Organisation

    consortium = db.session.scalar(db.select(Organisation))
    post(admin_client, "/manage/organisations/new", {"name-en": "Member", "kind": "enterprise", "parent_id": consortium.id})
    member = db.session.scalar(db.select(Organisation).where(Organisation.id != consortium.id))
    assert member.parent_id == consortium.id
    response = post(admin_client, f"/manage/organisations/{consortium.id}",
                    {"name-en": "Zhasampaz", "kind": "consortium", "parent_id": member.id})
    assert "cannot be a member of its own member" in response.get_data(as_text=True)
