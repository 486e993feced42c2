"""Control characters: a field error for every text field (PostgreSQL refused a NUL byte with a
500), nothing half-written, and none in any export (a vertical tab in a title broke
/schedule.xml). Run on both databases."""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar
from lxml import etree
from openpyxl import load_workbook

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.registration.models import Registration
from forumapp.shows.models import ShowSegment
from forumapp.sponsors.models import Sponsor
from tests.conftest import make_event, make_item
from tests.registration.helpers import open_event, register, registration_data
from tests.security.hostile import parse, submit
from tests.shows.helpers import make_brand, make_collection, make_person, make_show

NOT_ALLOWED = "This text contains characters that are not allowed."
M = "/manage/e/test-forum"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(model.id)))


def refused(client, page, field, value="a\x00b", *, action=None, overrides=None):
    """Post the form on `page` with `value` in `field`: a field error on that field, no 500."""
    response = submit(client, page, action=action, overrides={**(overrides or {}), field: value}, expect=None)
    assert response.status_code in (200, 400), (page, field, response.status_code)
    document = parse(response.get_data(as_text=True))
    errors = [e.text_content() for e in document.xpath("//*[contains(@class,'error')]")]
    assert NOT_ALLOWED in errors, (page, field, errors)
    return response


@pytest.fixture
def event_setup(admin_client):
    event = make_event()
    brand = make_brand()
    person = make_person({"ru": "Гүлмира Уақытова"}, organisation=brand)
    show = make_item(event, "Показ", kind="collection_show", start="17:00", end="18:00")
    collection = make_collection(event, brand, {"ru": "Алматы кеші"})
    make_show(show, [(collection, None)])
    return {"event": event, "brand": brand, "person": person, "show": show, "collection": collection}


EVENT_FIELDS = {"slug": "nul-forum", "starts_on": "2016-06-09", "ends_on": "2016-06-10", "timezone": "Asia/Almaty",
                "locale_fallback": "kk,ru,en", "code": "NF-2016", "title-ru": "Форум", "status": "draft"}


@pytest.mark.parametrize("field, value", [
    ("code", "ЖОФ\x00-2016"), ("title-ru", "Форум\x00"), ("title-kk", "Форум\x0b"), ("title-en", "Forum\nline"),
    ("venue-ru", "Дворец\x1b"), ("city-kk", "Алматы\x00"), ("description-en", "text\x00"), ("halls", "Зал\x00, 30"),
    ("slug", "nul\x00forum"),
])
def test_event_fields_refuse_control_characters(admin_client, field, value):
    refused(admin_client, "/manage/events/new", field, value, overrides=EVENT_FIELDS)
    assert _count(Event) == 0


@pytest.mark.parametrize("field, value", [
    ("phone", "+7 701\x00 123"), ("notes", "ескерту\x00"), ("name-kk", "Гүлмира\x00"), ("bio-ru", "био\x0c"),
    ("position-en", "Director\tof"), ("email", "a\x00@example.kz"),
])
def test_person_fields_refuse_control_characters(admin_client, field, value):
    refused(admin_client, "/manage/people/new", field, value, overrides={"name-ru": "Гүлмира", "email": "", "phone": ""})
    assert _count(Person) == 0


@pytest.mark.parametrize("field, value", [("city", "Алматы\x00"), ("website", "https://example.kz/\x00")])
def test_organisation_fields_refuse_control_characters(admin_client, field, value):
    refused(admin_client, "/manage/organisations/new", field, value,
            overrides={"name-ru": "Семирамида", "city": "", "website": "", "kind": "fashion_house", "parent_id": "0"})
    assert _count(Organisation) == 0


def test_a_partner_link_refuses_control_characters(admin_client, event_setup):
    from tests.conftest import csrf_token

    admin_client.post(f"{M}/partners/standard-tiers", data={"csrf_token": csrf_token(admin_client, f"{M}/partners/")})
    refused(admin_client, f"{M}/partners/", "partner-url", "https://example.kz/\x00", action="/partners/add",
            overrides={"partner-organisation_id": str(event_setup["brand"].id)})
    assert _count(Sponsor) == 0


def test_a_segments_music_refuses_control_characters(admin_client, event_setup):
    show = event_setup["show"]
    collection = make_collection(event_setup["event"], event_setup["brand"], {"ru": "Дала"})
    before = _count(ShowSegment)
    refused(admin_client, f"{M}/shows/{show.id}", "segment-music", "Дала\x00", action="/segments",
            overrides={"segment-collection_id": str(collection.id), "segment-minutes": "5", "segment-seconds": "0"})
    assert _count(ShowSegment) == before


def test_item_titles_are_one_line_and_descriptions_keep_their_lines(admin_client, event_setup):
    times = {"day": "2016-06-09", "start": "10:00", "end": "11:00", "hall_id": "0", "track_id": "0",
             "status": "draft", "kind": "plenary", "capacity": "", "title-kk": "", "title-en": "", "description-kk": "",
             "description-en": ""}
    before = _count(ProgrammeItem)
    refused(admin_client, f"{M}/items/new", "title-ru", "Пленарлық\x0bотырыс", overrides={**times, "description-ru": ""})
    refused(admin_client, f"{M}/items/new", "title-ru", "Пленарлық\nотырыс", overrides={**times, "description-ru": ""})
    assert _count(ProgrammeItem) == before

    submit(admin_client, f"{M}/items/new", overrides={**times, "title-ru": "Пленарлық отырыс",
                                                      "description-ru": "Бірінші жол\r\n\tекінші жол"})
    item = db.session.scalars(db.select(ProgrammeItem).order_by(ProgrammeItem.id.desc())).first()
    assert item.description["ru"] == "Бірінші жол\r\n\tекінші жол"


def test_a_signatory_name_in_a_design_refuses_control_characters(admin_client, event_setup):
    colours = {"primary": "#8a3b12", "accent": "#8a3b12", "text": "#222222", "paper": "#ffffff", "name": "Дизайн",
               "custom_html": "", "custom_css": "", "logo": "", "background": ""}
    refused(admin_client, f"{M}/awards/designs/new", "signatories-0-name", "Уақытова\x00", overrides=colours)


def test_the_login_form_refuses_control_characters(client):
    client.get("/?lang=en")
    refused(client, "/login", "email", "a\x00@example.kz", overrides={"password": "x"})


@pytest.mark.parametrize("field", ["full_name", "city", "organisation_name", "position", "email", "phone"])
def test_the_registration_form_refuses_control_characters(client, field):
    open_event()
    data = registration_data(client)
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    response = client.post("/e/test-forum/register", data=data)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)
    assert _count(Registration) == 0


@pytest.mark.parametrize("url, status", [
    ("/e/x%00y/", 404), ("/verify/a%00b", 404), ("/e/test-forum/r/ab%00c", 404),
    ("/manage/e/test-forum/checkin?q=a%00", 400), ("/manage/e/test-forum/registrations?q=a%00", 400),
    ("/e/test-forum/programme?kind=%0b", 400),
])
def test_control_characters_in_an_address_are_refused_before_the_database(admin_client, url, status):
    make_event()
    assert admin_client.get(url).status_code == status


def test_exports_leave_control_characters_out(admin_client):
    """Data stored before the forms refused them (or by a script) must not break an export."""
    event = open_event()
    make_item(event, "Пленарлық\x0b отырыс\x00", description={"ru": "Бірінші\x0cжол"})
    register(admin_client, name="Гүлмира\x0b Уақытова")  # refused by the form: stored below instead
    assert _count(Registration) == 0
    register(admin_client, name="Гүлмира Уақытова")
    registration = db.session.scalars(db.select(Registration)).one()
    registration.full_name, registration.city = "Гүлмира\x0b Уақытова", "Алматы\x1f"
    db.session.commit()

    xml = admin_client.get("/e/test-forum/schedule.xml")
    assert xml.status_code == 200
    assert etree.fromstring(xml.data).xpath("//event/title/text()") == ["Пленарлық отырыс"]
    document = json.loads(admin_client.get("/e/test-forum/schedule.json").data)
    assert "\x0b" not in json.dumps(document, ensure_ascii=False) and "Пленарлық отырыс" in json.dumps(
        document, ensure_ascii=False)
    ics = admin_client.get("/e/test-forum/programme.ics").data
    assert [str(e["summary"]) for e in Calendar.from_ical(ics).walk("VEVENT")] == ["Пленарлық отырыс"]
    assert b"\x0b" not in ics and b"\x00" not in ics and b"\x0c" not in ics

    exported = admin_client.get(f"{M}/registrations/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][1] == "Гүлмира Уақытова" and "\x1f" not in exported
    xlsx = admin_client.get(f"{M}/registrations/export.xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.data)).active["B2"].value == "Гүлмира Уақытова"
