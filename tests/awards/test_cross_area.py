"""Awards meeting other areas: certificates of participation for those checked in at the door,
and a laureate's awards on the public organisation page."""

from forumapp.awards.models import Certificate
from forumapp.extensions import db
from forumapp.registration.tickets import ticket_code
from tests.awards.conftest import BASE, pdf_pages, post
from tests.registration.checkin_factories import make_registration


def test_participation_certificates_go_to_those_checked_in_at_the_door(admin_client, ceremony):
    event = ceremony["event"]
    came = make_registration(event, "Әсел Нұрланқызы", organisation="ТОО «Жібек жолы»")
    make_registration(event, "Ержан Сәрсенбаев")  # registered, never came
    make_registration(event, "Айгүл Оспанова", status="cancelled")
    checkin = f"/manage/e/{event.slug}/checkin"
    response = post(admin_client, checkin, {"code": ticket_code(came)})
    assert "Checked in" in response.get_data(as_text=True)

    response = post(admin_client, f"{BASE}/issue", {"kind": "participation"}, token_from=f"{BASE}/")
    assert response.status_code == 302
    certificates = db.session.scalars(db.select(Certificate).filter_by(kind="participation")).all()
    assert [c.name["kk"] for c in certificates] == ["Әсел Нұрланқызы"]

    response = post(admin_client, f"{BASE}/print", {"kind": "participation"}, token_from=f"{BASE}/")
    pages = pdf_pages(response.data)
    assert len(pages) == 1
    assert "Әсел Нұрланқызы" in pages[0] and certificates[0].number in pages[0]


def test_published_awards_appear_on_the_laureates_organisation_page(client, admin_client, ceremony):
    zhasampaz = ceremony["zhasampaz"]
    page = f"/organisations/{zhasampaz.id}?lang=ru"
    assert "Лучший отечественный производитель школьной формы" not in client.get(page).get_data(as_text=True)

    post(admin_client, f"{BASE}/c/{ceremony['item'].id}/publish", {"published": "1"}, token_from=ceremony["page"])
    html = client.get(page).get_data(as_text=True)
    assert "Лучший отечественный производитель школьной формы" in html
    assert "Гульмира Уахитова" in html
    assert f"/e/{ceremony['event'].slug}/awards/{ceremony['item'].id}" in html
