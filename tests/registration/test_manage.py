"""Organisers: the list (search, filters), actions, approval, per-item lists, settings, exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from openpyxl import load_workbook

from forumapp.extensions import db
from forumapp.registration import services
from forumapp.registration.models import OutgoingMessage, ParticipantCategory, Question
from tests.conftest import make_item
from tests.registration.helpers import open_event, register, registrations


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def act(admin_client, reg_id: int, action: str):
    token = _token(admin_client.get("/manage/e/test-forum/registrations").get_data(as_text=True))
    return admin_client.post(f"/manage/e/test-forum/registrations/{reg_id}/{action}", data={"csrf_token": token})


def test_approval_flow_pending_approved_waiting_rejected_promoted(client, admin_client):
    open_event(capacity=1, approval=True)
    register(client, "Айгүл Сәрсенова", "aigul@example.kz")
    register(client, "Дмитрий Ким", "kim@example.kz", locale="ru")
    aigul, kim = registrations()
    assert aigul.status == kim.status == "pending"
    assert {m.kind for m in db.session.scalars(db.select(OutgoingMessage))} == {"received"}
    act(admin_client, aigul.id, "approve")
    act(admin_client, kim.id, "approve")
    aigul, kim = registrations()
    assert (aigul.status, kim.status) == ("confirmed", "waiting")
    act(admin_client, aigul.id, "reject")
    aigul, kim = registrations()
    assert (aigul.status, kim.status) == ("rejected", "confirmed")
    kinds = [(m.registration_id, m.kind) for m in db.session.scalars(db.select(OutgoingMessage).order_by(OutgoingMessage.id))]
    assert (aigul.id, "approved") in kinds and (aigul.id, "rejected") in kinds
    assert (kim.id, "waiting") in kinds and (kim.id, "promoted") in kinds
    # An action that does not apply is refused without a change.
    response = act(admin_client, aigul.id, "approve")
    assert response.status_code == 302 and registrations()[0].status == "rejected"
    assert act(admin_client, aigul.id, "explode").status_code == 400


def test_organisers_confirm_beyond_capacity_on_purpose_and_move_people_to_the_waiting_list(client, admin_client):
    open_event(capacity=1)
    register(client, "Бірінші", "one@example.kz")
    register(client, "Екінші", "two@example.kz")
    register(client, "Үшінші", "three@example.kz")
    one, two, three = registrations()
    page = admin_client.get("/manage/e/test-forum/registrations").get_data(as_text=True)
    assert "Confirm beyond capacity" in page and f"/registrations/{three.id}/promote" not in page
    act(admin_client, three.id, "overbook")
    assert [r.status for r in registrations()] == ["confirmed", "waiting", "confirmed"]
    act(admin_client, one.id, "to_waiting")
    # Two confirmed with one place: nobody is promoted; one goes to the end of the queue.
    assert [r.status for r in registrations()] == ["waiting", "waiting", "confirmed"]
    assert [r.id for r in services.waiting_list(one.event)] == [two.id, one.id]
    act(admin_client, three.id, "cancel")
    assert [r.status for r in registrations()] == ["waiting", "confirmed", "cancelled"]


def messages_to(registration_id, kind):
    return db.session.scalars(
        db.select(OutgoingMessage).filter_by(registration_id=registration_id, kind=kind).order_by(OutgoingMessage.id)
    ).all()


def flashed(response, admin_client) -> str:
    return admin_client.get(response.headers["Location"]).get_data(as_text=True)


def test_organisers_move_people_up_down_and_to_the_top_of_the_waiting_list(client, admin_client):
    event = open_event(capacity=1)
    register(client, "Бірінші", "one@example.kz")
    for name, email in (("Бақыт", "b@example.kz"), ("Гүлнар", "g@example.kz"), ("Дәурен", "d@example.kz")):
        register(client, name, email, locale="ru" if name == "Дәурен" else "kk")
    one, b, g, d = registrations()

    def order():
        db.session.expire_all()
        return [r.full_name for r in services.waiting_list(event)]

    assert order() == ["Бақыт", "Гүлнар", "Дәурен"]
    page = admin_client.get("/manage/e/test-forum/registrations").get_data(as_text=True)
    assert "(number 3 on the waiting list)" in page and f"/registrations/{d.id}/top" in page
    assert f"/registrations/{one.id}/up" not in page  # only waiting people move on the list

    response = act(admin_client, d.id, "up")
    assert "Done: Дәурен is now number 2 on the waiting list." in flashed(response, admin_client)
    assert order() == ["Бақыт", "Дәурен", "Гүлнар"]
    [moved] = messages_to(d.id, "waiting_moved")
    assert "теперь вы под номером 2" in moved.body_text and d.token in moved.body_text
    assert moved.subject == "Ваше место в листе ожидания на Форум лёгкой промышленности изменилось"

    act(admin_client, d.id, "top")
    assert order() == ["Дәурен", "Бақыт", "Гүлнар"]
    assert "под номером 1" in messages_to(d.id, "waiting_moved")[-1].body_text
    # The participant's own page says the new number.
    page = client.get(f"/e/test-forum/r/{d.token}?lang=en").get_data(as_text=True)
    assert "You are number 1 on the waiting list" in page

    act(admin_client, b.id, "down")
    assert order() == ["Дәурен", "Гүлнар", "Бақыт"]
    assert "енді сіз 3-орындасыз" in messages_to(b.id, "waiting_moved")[-1].body_text

    # Past either end: refused with a clear message, nothing changes, nobody is e-mailed.
    sent = db.session.scalar(db.select(db.func.count(OutgoingMessage.id)))
    assert "Дәурен is already first on the waiting list." in flashed(act(admin_client, d.id, "up"), admin_client)
    assert "Бақыт is already last on the waiting list." in flashed(act(admin_client, b.id, "down"), admin_client)
    assert "does not apply" in flashed(act(admin_client, one.id, "top"), admin_client)
    assert order() == ["Дәурен", "Гүлнар", "Бақыт"]
    assert db.session.scalar(db.select(db.func.count(OutgoingMessage.id))) == sent

    # A new arrival still queues behind everyone, and a free place goes to the new head.
    register(client, "Ержан", "e@example.kz")
    assert order() == ["Дәурен", "Гүлнар", "Бақыт", "Ержан"]
    act(admin_client, one.id, "cancel")
    assert order() == ["Гүлнар", "Бақыт", "Ержан"]
    assert [r.status for r in registrations()][:4] == ["cancelled", "waiting", "waiting", "confirmed"]


def test_waiting_list_moves_keep_their_order_when_people_started_waiting_at_the_same_moment(client, admin_client):
    event = open_event(capacity=0)
    for n in range(4):
        register(client, f"Қатысушы {n}", f"p{n}@example.kz")
    people = registrations()
    same = people[0].waiting_since
    for person in people:
        person.waiting_since = same
    db.session.commit()
    act(admin_client, people[3].id, "up")
    act(admin_client, people[0].id, "down")
    db.session.expire_all()
    assert [r.full_name for r in services.waiting_list(event)] == ["Қатысушы 1", "Қатысушы 0", "Қатысушы 3", "Қатысушы 2"]
    assert [services.waiting_position(r) for r in services.waiting_list(event)] == [1, 2, 3, 4]


def test_confirming_by_hand_takes_a_free_place_and_is_refused_when_the_event_is_full(client, admin_client):
    event = open_event(capacity=1)
    register(client, "Бірінші", "one@example.kz")
    register(client, "Екінші", "two@example.kz", locale="ru")
    one, two = registrations()
    response = act(admin_client, two.id, "promote")
    page = flashed(response, admin_client)
    assert "No place is free: 1 of 1 places are confirmed." in page
    assert registrations()[1].status == "waiting" and messages_to(two.id, "promoted") == []
    # With a place free (the capacity raised without filling it), the same action confirms.
    settings = services.settings_for(event)
    settings.capacity = 2
    db.session.commit()
    page = admin_client.get(f"/manage/e/test-forum/registrations/{two.id}").get_data(as_text=True)
    assert f"/registrations/{two.id}/promote" in page and "Confirm beyond capacity" not in page
    act(admin_client, two.id, "promote")
    assert registrations()[1].status == "confirmed"
    [promoted] = messages_to(two.id, "promoted")
    assert "подтверждена" in promoted.body_text
    # And a confirmed person goes back to the waiting list, told by e-mail.
    act(admin_client, two.id, "to_waiting")
    assert registrations()[1].status == "waiting" and messages_to(two.id, "waiting")


def test_the_refusal_is_translated(client, admin_client):
    open_event(capacity=1)
    register(client, "Бірінші", "one@example.kz")
    register(client, "Екінші", "two@example.kz")
    admin_client.get("/manage/e/test-forum/registrations?lang=ru")
    two = registrations()[1]
    page = flashed(act(admin_client, two.id, "promote"), admin_client)
    assert "Свободных мест нет: подтверждено 1 из 1." in page
    page = flashed(act(admin_client, two.id, "up"), admin_client)
    assert "Екінші уже на первом месте в листе ожидания." in page


def test_actions_need_a_csrf_token(client, admin_client):
    open_event()
    register(client)
    reg = registrations()[0]
    assert admin_client.post(f"/manage/e/test-forum/registrations/{reg.id}/cancel").status_code == 400
    assert registrations()[0].status == "confirmed"


def test_search_and_filters(client, admin_client):
    event = open_event()
    item = make_item(event, "Круглый стол «Жасампаз»", kind="round_table", takes_signups=True, capacity=10)
    press = db.session.scalar(db.select(ParticipantCategory).filter_by(event_id=event.id, code="press"))
    register(client, "Әсел Нұрланқызы", "asel@example.kz", organisation_name="Жасампаз")
    register(client, "Иван Петров", "ivan@example.kz", organisation_name="Текстиль", category=str(press.id),
             items=str(item.id))
    base = "/manage/e/test-forum/registrations"

    def names(query):
        page = admin_client.get(base + query).get_data(as_text=True)
        return [n for n in ("Әсел Нұрланқызы", "Иван Петров") if n in page]

    assert names("") == ["Әсел Нұрланқызы", "Иван Петров"]
    assert names("?q=ivan@") == ["Иван Петров"]
    assert names("?q=жасампаз") == ["Әсел Нұрланқызы"]
    assert names(f"?category={press.id}") == ["Иван Петров"]
    assert names(f"?item={item.id}") == ["Иван Петров"]
    assert names("?status=waiting") == []
    page = admin_client.get(f"/manage/e/test-forum/registrations/items/{item.id}").get_data(as_text=True)
    assert "Иван Петров" in page and "Әсел Нұрланқызы" not in page


def test_search_folds_the_case_of_kazakh_and_russian_letters_on_every_database(client, admin_client):
    """SQLite's own lower() knows ASCII only; the app gives it Python's, so «әсел» finds «Әсел»
    there as on PostgreSQL, in any mix of cases and in the middle of a name."""
    open_event()
    register(client, "Әсел Нұрланқызы", "asel@example.kz", organisation_name="Қазақстан жеңіл өнеркәсіп қауымдастығы")
    register(client, "Иван Петров", "ivan@example.kz", organisation_name="ТОО «Текстиль_100%»")

    def names(q):
        page = admin_client.get("/manage/e/test-forum/registrations", query_string={"q": q}).get_data(as_text=True)
        return [n for n in ("Әсел Нұрланқызы", "Иван Петров") if n in page]

    for q in ("әсел", "ӘСЕЛ", "сел нұР", "ӘСЕЛ НҰРЛАНҚЫЗЫ", "ЖЕҢІЛ ӨНЕРКӘСІП", "ASEL@EXAMPLE"):
        assert names(q) == ["Әсел Нұрланқызы"], q
    assert names("иВАН") == ["Иван Петров"]
    # % and _ are letters to look for, not wildcards.
    assert names("%") == names("_100%") == ["Иван Петров"]
    assert names("ә_ел") == []


def test_settings_in_the_events_time_zone_and_a_larger_capacity_promotes(client, admin_client):
    event = open_event(capacity=1)
    item = make_item(event, "Показ коллекций", kind="collection_show", capacity=50)
    register(client, "Бірінші", "one@example.kz")
    register(client, "Екінші", "two@example.kz")
    page = admin_client.get("/manage/e/test-forum/registration/settings").get_data(as_text=True)
    response = admin_client.post("/manage/e/test-forum/registration/settings", data={
        "csrf_token": _token(page), "opens_at": "2016-05-01T09:00", "closes_at": "2016-06-08T18:00",
        "capacity": "2", "signup_items": str(item.id),
    })
    assert response.status_code == 302
    settings = services.settings_for(event)
    db.session.refresh(settings)
    assert settings.opens_at == datetime(2016, 5, 1, 3, 0)  # Almaty is UTC+6 in 2016
    assert settings.closes_at == datetime(2016, 6, 8, 12, 0)
    assert settings.capacity == 2 and not settings.requires_approval
    db.session.refresh(item)
    assert item.takes_signups
    assert [r.status for r in registrations()] == ["confirmed", "confirmed"]
    # Closing before opening is refused with a field error.
    response = admin_client.post("/manage/e/test-forum/registration/settings", data={
        "csrf_token": _token(page), "opens_at": "2016-06-01T09:00", "closes_at": "2016-05-01T09:00",
    })
    assert response.status_code == 400 and "must close after it opens" in response.get_data(as_text=True)


def test_organisers_edit_categories_and_questions(client, admin_client):
    event = open_event()
    page = admin_client.get("/manage/e/test-forum/registration/categories").get_data(as_text=True)
    assert "Delegate" in page and "Exhibitor" in page
    admin_client.post("/manage/e/test-forum/registration/categories", data={
        "csrf_token": _token(page), "name-kk": "Дизайнер", "name-ru": "Дизайнер", "name-en": "Designer", "position": "9",
        "is_public": "y",  # checked by default on the page
    })
    assert "Designer" in client.get("/e/test-forum/register").get_data(as_text=True)
    page = admin_client.get("/manage/e/test-forum/registration/questions").get_data(as_text=True)
    response = admin_client.post("/manage/e/test-forum/registration/questions", data={
        "csrf_token": _token(page), "label-en": "Which show?", "kind": "single_choice",
        "choices": "Көрме | Выставка | Exhibition\nПоказ | Показ | Show", "required": "y",
    })
    assert response.status_code == 302
    question = db.session.scalar(db.select(Question).filter_by(event_id=event.id))
    assert question.choices[1] == {"kk": "Показ", "ru": "Показ", "en": "Show"} and question.required
    response = admin_client.post("/manage/e/test-forum/registration/questions", data={
        "csrf_token": _token(page), "label-en": "Empty", "kind": "multiple_choice", "choices": "",
    })
    assert response.status_code == 400 and "Give at least one choice." in response.get_data(as_text=True)


def test_csv_and_xlsx_exports_hold_everything_with_formulas_neutralised(client, admin_client):
    event = open_event()
    question = Question(event_id=event.id, kind="text", label={"en": "Comment"}, position=1)
    db.session.add(question)
    db.session.commit()
    # (a tab in a one-line field is refused by the form: tests/security/test_control_characters.py)
    register(client, "=HYPERLINK(\"http://evil\",\"x\")", "evil@example.kz", organisation_name="@SUM(A1)",
             position="-1+1", city="Tab", **{f"q_{question.id}": "+cmd"})
    register(client, "Әсел Нұрланқызы", "asel@example.kz", organisation_name="<b>Жасампаз</b>")
    response = admin_client.get("/manage/e/test-forum/registrations/export.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, evil, asel = rows[0], *sorted(rows[1:], key=lambda r: int(r[0]))
    assert "Consent given at" in header and "Comment" in header
    assert evil[1] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert evil[4] == "'@SUM(A1)" and evil[5] == "'-1+1" and evil[3] == "'+7 701 123 45 67"
    assert evil[header.index("Comment")] == "'+cmd"
    assert asel[1] == "Әсел Нұрланқызы" and asel[4] == "<b>Жасампаз</b>"
    assert asel[header.index("Consent given at")].endswith("UTC")
    response = admin_client.get("/manage/e/test-forum/registrations/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
    evil_row = next(r for r in values if r[2] == "evil@example.kz")
    assert evil_row[1].startswith("'=") and evil_row[4] == "'@SUM(A1)"
    assert admin_client.get("/manage/e/test-forum/registrations/export.pdf").status_code == 404


def test_rejecting_or_cancelling_asks_first_naming_the_person_as_text(client, admin_client):
    """The question is asked by static/js/confirm.js (see tests/browser); here: it is there, in
    the organiser's language, with the name escaped."""
    open_event(capacity=5)
    register(client, "<b>Әсел</b> Нұрланқызы", "asel@example.kz")
    page = admin_client.get("/manage/e/test-forum/registrations?lang=ru").get_data(as_text=True)
    assert 'data-confirm="Отклонить регистрацию: &lt;b&gt;Әсел&lt;/b&gt; Нұрланқызы?' in page
    assert 'data-confirm="Отменить регистрацию: &lt;b&gt;Әсел&lt;/b&gt; Нұрланқызы?' in page
    assert "<b>Әсел</b>" not in page
