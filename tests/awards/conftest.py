"""A forum with an award ceremony whose nominations and laureates are entered over HTTP."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import ItemPerson
from tests.conftest import csrf_token, make_item

BASE = "/manage/e/test-forum/awards"


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, whitespace (line breaks) folded into single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def stamped(reader) -> bool:
    """Whether any page of a PdfReader draws the shared background of a stamped batch."""
    return any("/ForumLayer" in page["/Resources"].get("/XObject", {}) for page in reader.pages)


def post(client, path: str, data: dict, token_from: str | None = None):
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture(autouse=True)
def print_in_request(app):
    """Print jobs run within the request unless a test asks for the real background thread."""
    app.config["JOBS_EAGER"] = True
    yield
    app.config["JOBS_EAGER"] = True


@pytest.fixture
def ceremony(admin_client):
    """Two nominations, three laureates, entered through the organiser's forms."""
    from tests.conftest import make_event

    event = make_event()
    zhasampaz = Organisation(name={"kk": "«Жасампаз» консорциумы", "ru": "Консорциум «Жасампаз»",
                                   "en": "Zhasampaz consortium"}, kind="consortium")
    kazlegprom = Organisation(name={"kk": "«Казлегпром»", "ru": "«Казлегпром»", "en": "Kazlegprom"},
                              kind="fashion_house")
    gulmira = Person(name={"kk": "Гүлмира Уақытова", "ru": "Гульмира Уахитова", "en": "Gulmira Uakhitova"},
                     organisation=zhasampaz)
    daulet = Person(name={"kk": "Даулет Бакберген", "ru": "Даулет Бакберген", "en": "Daulet Bakbergen"})
    evil = Person(name={"ru": "<b>Жирный</b> <script>alert(1)</script>Ержан"})
    db.session.add_all([zhasampaz, kazlegprom, gulmira, daulet, evil])
    db.session.commit()
    item = make_item(event, "Церемония награждения", start="16:30", end="17:15", kind="award_ceremony")
    plenary = make_item(event, "Пленарное заседание", start="10:00", end="11:00")
    db.session.add(ItemPerson(item=plenary, person=daulet, role="speaker"))
    db.session.commit()
    page = f"{BASE}/c/{item.id}"
    nominations = []
    for ru, kk in (("Лучший отечественный производитель школьной формы", "Мектеп формасының үздік отандық өндірушісі"),
                   ("Коллекция года: детская одежда", "Жыл коллекциясы: балалар киімі")):
        response = post(admin_client, page, {"title-ru": ru, "title-kk": kk, "title-en": ""})
        assert response.status_code == 302, response.get_data(as_text=True)
        nominations.append(int(re.search(r"/nominations/(\d+)", response.headers["Location"]).group(1)))
    first, second = nominations
    laureates = [
        (first, {"laureate-person_id": gulmira.id, "laureate-organisation_id": zhasampaz.id, "laureate-place": "grand_prix",
                 "laureate-presenter_id": daulet.id, "laureate-citation-ru": "За вклад в отрасль"}),
        (first, {"laureate-person_id": 0, "laureate-organisation_id": kazlegprom.id, "laureate-place": "first",
                 "laureate-presenter_id": daulet.id}),
        (second, {"laureate-person_id": evil.id, "laureate-organisation_id": 0, "laureate-place": "diploma",
                  "laureate-presenter_id": 0}),
    ]
    for nomination_id, data in laureates:
        response = post(admin_client, f"{BASE}/nominations/{nomination_id}/laureates", data,
                        token_from=f"{BASE}/nominations/{nomination_id}")
        assert response.status_code == 302, response.get_data(as_text=True)
    return {"event": event, "item": item, "nominations": nominations, "gulmira": gulmira, "daulet": daulet,
            "evil": evil, "zhasampaz": zhasampaz, "kazlegprom": kazlegprom, "page": page}
