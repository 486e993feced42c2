"""Many laureates at once: pasted or uploaded, previewed row by row with errors, matched to the
directory, and added only on confirmation."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook

from forumapp.awards.models import Laureate
from forumapp.directory.models import Person
from forumapp.extensions import db
from tests.awards.conftest import BASE, post
from tests.conftest import csrf_token

HEADER = "Nomination\tPerson\tOrganisation\tPlace\tCitation"


def _url(ceremony) -> str:
    return f"{BASE}/c/{ceremony['item'].id}/laureates"


def _laureates() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Laureate))


def test_a_pasted_list_is_previewed_matched_and_added_on_confirmation(admin_client, ceremony):
    before, people = _laureates(), db.session.scalar(db.select(db.func.count()).select_from(Person))
    pasted = "\n".join([
        HEADER,
        "Коллекция года: детская одежда\tгүлмира   уақытова\t\t1\tЗа коллекцию",  # Kazakh name, any case
        "коллекция года: детская одежда\tНовый Лауреат\t«Казлегпром»\tГран-при\t",  # unknown person: new
        "Несуществующая номинация\tДаулет Бакберген\t\tdiploma\t",
        "Коллекция года: детская одежда\t\t\tfirst\t",  # nobody
        "Коллекция года: детская одежда\t<script>alert(1)</script>\t\tпятое\t",  # bad place, escaped
    ])
    response = post(admin_client, _url(ceremony), {"nomination_id": 0, "rows": pasted, "step": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _laureates() == before, "a preview adds nothing"
    assert "Rows ready: 2 of 5." in page
    assert "Gulmira Uakhitova" in page  # matched in the directory, shown in the reader's language
    assert page.count("new in the directory") == 2  # the new person and the script-named one
    assert "No nomination of this ceremony is called that." in page
    assert "A person, an organisation, or both." in page and "Unknown place" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Add 2 laureates" in page
    carried = re.search(r'<textarea[^>]*name="rows"[^>]*>\s*([^<]*)</textarea>', page).group(1)
    assert "Новый Лауреат" in carried

    response = post(admin_client, _url(ceremony), {"nomination_id": 0, "rows": pasted, "step": "add"})
    assert response.status_code == 302
    assert _laureates() == before + 2
    added = db.session.scalars(db.select(Laureate).order_by(Laureate.id.desc()).limit(2)).all()
    new, gulmira = added
    assert gulmira.person_id == ceremony["gulmira"].id and gulmira.place == "first"
    assert gulmira.citation == {"en": "За коллекцию"}
    assert new.place == "grand_prix" and new.organisation_id == ceremony["kazlegprom"].id
    assert new.person.name == {"en": "Новый Лауреат"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Person)) == people + 1
    assert new.position == gulmira.position + 1  # after the nomination's laureates, in list order


def test_one_nomination_for_the_whole_list_and_ambiguous_names(admin_client, ceremony):
    db.session.add(Person(name={"ru": "Гульмира Уахитова"}))  # a second person of the same name
    db.session.commit()
    first = ceremony["nominations"][0]
    pasted = "Гульмира Уахитова;;2\n;Жасампаз консорциумы;3".replace("Жасампаз консорциумы", "Zhasampaz consortium")
    rows = "\n".join(";" + line for line in pasted.split("\n"))
    page = post(admin_client, _url(ceremony), {"nomination_id": first, "rows": rows, "step": "preview"}).get_data(
        as_text=True)
    assert "Several people in the directory have this name" in page
    assert "Rows ready: 1 of 2." in page


def test_an_excel_file_and_a_windows_csv_are_read(admin_client, ceremony):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Номинация", "ФИО", "Организация", "Место", "Цитата"])
    sheet.append(["Коллекция года: детская одежда", "Даулет Бакберген", None, 3, None])
    sheet.append(["Коллекция года: детская одежда", None, "Kazlegprom", "диплом", None])
    data = io.BytesIO()
    workbook.save(data)
    token = csrf_token(admin_client, _url(ceremony))
    response = admin_client.post(_url(ceremony), data={
        "csrf_token": token, "nomination_id": "0", "step": "preview",
        "upload": (io.BytesIO(data.getvalue()), "laureates.xlsx"),
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Rows ready: 2 of 2." in page and "Daulet Bakbergen" in page and "3rd place" in page

    csv_bytes = "Коллекция года: детская одежда;Даулет Бакберген;;2\n".encode("cp1251")
    response = admin_client.post(_url(ceremony), data={
        "csrf_token": token, "nomination_id": "0", "step": "preview", "upload": (io.BytesIO(csv_bytes), "list.csv"),
    }, content_type="multipart/form-data")
    assert "Rows ready: 1 of 1." in response.get_data(as_text=True)


def test_unreadable_files_are_field_errors(admin_client, ceremony):
    token = csrf_token(admin_client, _url(ceremony))
    before = _laureates()
    for name, data in (("broken.xlsx", b"PK\x03\x04 not really"), ("photo.png", b"\x89PNG"),
                       ("huge.csv", b"a;b\n" * 600_000)):
        response = admin_client.post(_url(ceremony), data={
            "csrf_token": token, "nomination_id": "0", "step": "add", "upload": (io.BytesIO(data), name),
        }, content_type="multipart/form-data")
        assert response.status_code == 400, name
        assert 'class="error"' in response.get_data(as_text=True)
    assert post(admin_client, _url(ceremony), {"nomination_id": 0, "rows": "", "step": "add"}).status_code == 400
    assert post(admin_client, _url(ceremony), {"nomination_id": 987654, "rows": "x"}).status_code == 400
    assert _laureates() == before


def test_quotes_in_a_pasted_line_are_read_as_a_spreadsheet_writes_them():
    from forumapp.awards.bulk import rows_from_text

    assert rows_from_text('Award\t"Kazlegprom\t\t1') == [["Award", '"Kazlegprom', "", "1"]]  # an unpaired quote
    assert rows_from_text('Award\t"Zhasampaz ""LLP"""\t\t1') == [["Award", 'Zhasampaz "LLP"', "", "1"]]
    assert rows_from_text("a;b;c\n\n  \nd;e;f") == [["a", "b", "c"], ["d", "e", "f"]]
