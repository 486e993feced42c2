"""Organisers build a ceremony over HTTP; the host's running order and the public results."""

import re

from forumapp.awards.models import Laureate, Nomination
from forumapp.extensions import db
from tests.awards.conftest import BASE, pdf_pages, post


def test_running_order_lists_who_is_called_for_what_and_who_presents_in_order(admin_client, ceremony):
    response = admin_client.get(f"{BASE}/c/{ceremony['item'].id}/running-order.pdf?lang=ru")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_pages(response.data))
    order = ["Лучший отечественный производитель школьной формы", "Гульмира Уахитова", "Гран-при",
             "Даулет Бакберген", "«Казлегпром»", "Коллекция года: детская одежда", "Ержан"]
    positions = [text.find(part) for part in order]
    assert all(p >= 0 for p in positions), list(zip(order, positions, strict=False))
    assert positions == sorted(positions)
    assert "<b>Жирный</b>" in text, "HTML in a name is printed as text"


def test_reordering_nominations_and_laureates_changes_the_running_order(admin_client, ceremony):
    first, second = ceremony["nominations"]
    post(admin_client, f"{BASE}/nominations/{second}/move", {"direction": "up"}, token_from=ceremony["page"])
    kazlegprom = db.session.scalar(db.select(Laureate).filter_by(organisation_id=ceremony["kazlegprom"].id))
    post(admin_client, f"{BASE}/laureates/{kazlegprom.id}/move", {"direction": "up"}, token_from=ceremony["page"])
    text = " ".join(pdf_pages(admin_client.get(f"{BASE}/c/{ceremony['item'].id}/running-order.pdf?lang=ru").data))
    assert text.find("Коллекция года") < text.find("Лучший отечественный")
    assert text.find("«Казлегпром»") < text.find("Гульмира Уахитова")
    assert [n.position for n in db.session.scalars(db.select(Nomination).order_by(Nomination.id))] == [1, 0]
    # A direction that is neither up nor down is refused, not taken for "down".
    response = post(admin_client, f"{BASE}/nominations/{second}/move", {"direction": "sideways"},
                    token_from=ceremony["page"])
    assert response.status_code == 400
    assert [n.position for n in db.session.scalars(db.select(Nomination).order_by(Nomination.id))] == [1, 0]


def test_a_laureate_needs_a_person_or_an_organisation(admin_client, ceremony):
    first = ceremony["nominations"][0]
    response = post(admin_client, f"{BASE}/nominations/{first}/laureates",
                    {"laureate-person_id": 0, "laureate-organisation_id": 0, "laureate-place": "first",
                     "laureate-presenter_id": 0}, token_from=f"{BASE}/nominations/{first}")
    assert response.status_code == 400
    assert "Choose a person, an organisation, or both." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Laureate.id))) == 3


def test_nomination_without_title_gets_a_field_error(admin_client, ceremony):
    response = post(admin_client, ceremony["page"], {"title-ru": " ", "title-kk": "", "title-en": ""})
    assert response.status_code == 200
    assert "Fill in at least one language." in response.get_data(as_text=True)


def test_results_are_public_only_once_published(client, admin_client, ceremony):
    url = f"/e/test-forum/awards/{ceremony['item'].id}"
    assert client.get(url).status_code == 404
    post(admin_client, f"{BASE}/c/{ceremony['item'].id}/publish", {"published": "1"}, token_from=ceremony["page"])
    page = admin_client.get(url + "?lang=kk").get_data(as_text=True)
    assert "Мектеп формасының үздік отандық өндірушісі" in page and "Гүлмира Уақытова" in page
    assert "&lt;b&gt;Жирный&lt;/b&gt;" in page and "<b>Жирный</b>" not in page


def test_other_events_nominations_are_not_reachable(admin_client, ceremony):
    from tests.conftest import make_event

    make_event("other-forum")
    first = ceremony["nominations"][0]
    assert admin_client.get(f"/manage/e/other-forum/awards/nominations/{first}").status_code == 404
    assert admin_client.get(f"{BASE}/nominations/{first}").status_code == 200
    assert re.search("Add a laureate", admin_client.get(f"{BASE}/nominations/{first}").get_data(as_text=True))
