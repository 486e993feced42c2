"""Check-in at the entrance and at a round table's door, through HTTP."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from flask import g

from forumapp.extensions import db
from forumapp.registration import checkin as service
from forumapp.registration.models import ItemSignup, Registration
from forumapp.registration.tickets import ticket_code
from forumapp.timeutil import to_local
from tests.conftest import ON_POSTGRES, login, make_event, make_item
from tests.registration.checkin_factories import (
    make_category,
    make_registration,
    page_csrf,
    scan,
    sign_up,
    staff_client,
)


@pytest.fixture
def event(app):
    return make_event()


@pytest.fixture
def door(client, event):
    """A signed-in member of the check-in staff."""
    return staff_client(client, event)


def stored(registration_id):
    db.session.expire_all()
    return db.session.get(Registration, registration_id)


def test_staff_check_a_participant_in_and_the_count_goes_up(door, event):
    category = make_category(event)
    asel = make_registration(event, category=category)
    make_registration(event, "Ержан Сатыбалдиев")
    make_registration(event, "Not expected", status="waiting")
    assert door.get("/manage/e/test-forum/checkin/counts").get_json() == {"expected": 2, "arrived": 0}

    answer = scan(door, "test-forum", ticket_code(asel)).get_json()

    assert answer["result"] == "checked_in" and answer["ok"] is True
    assert answer["message"] == "Checked in"
    assert answer["name"] == "Әсел Нұрланқызы"
    assert answer["organisation"] == "ТОО «Жібек жолы»" and answer["category"] == "Delegate"
    assert answer["counts"] == {"expected": 2, "arrived": 1}
    assert door.get("/manage/e/test-forum/checkin/counts").get_json() == {"expected": 2, "arrived": 1}
    registration = stored(asel.id)
    assert registration.checked_in_at is not None and registration.checked_in_by_id is not None


def test_a_second_scan_says_when_the_first_one_was_in_event_time(door, event):
    asel = make_registration(event)
    scan(door, "test-forum", ticket_code(asel))
    first = to_local(stored(asel.id).checked_in_at, event.timezone).strftime("%H:%M")

    answer = scan(door, "test-forum", ticket_code(asel)).get_json()

    assert answer["result"] == "already_checked_in" and answer["ok"] is True
    assert answer["message"] == f"Already checked in at {first}"
    assert answer["counts"]["arrived"] == 1


def test_already_checked_in_on_an_earlier_day_names_the_day(door, event):
    asel = make_registration(event, checked_in_at=datetime(2016, 6, 9, 4, 5))  # 10:05 in Almaty
    answer = scan(door, "test-forum", ticket_code(asel)).get_json()
    assert answer["message"] == "Already checked in at 09.06 10:05"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("cancelled", "Registration cancelled: do not admit"),
        ("waiting", "On the waiting list: not confirmed"),
        ("pending", "Registration not confirmed yet"),
        ("rejected", "Registration rejected"),
    ],
)
def test_registrations_that_are_not_confirmed_are_refused(door, event, status, message):
    registration = make_registration(event, status=status)
    answer = scan(door, "test-forum", ticket_code(registration)).get_json()
    assert answer["result"] == status and answer["ok"] is False
    assert answer["message"] == message
    assert stored(registration.id).checked_in_at is None


def test_forged_and_tampered_tickets_are_refused(app, door, event):
    asel = make_registration(event)
    genuine = ticket_code(asel)
    other_id = make_registration(event, "Другой", email="x@example.kz").id
    tampered = genuine.replace(f".{asel.id}.", f".{other_id}.")
    foreign_key = ticket_code(asel, secret_key="somebody else's key")
    # (the signature's last base64 character carries padding bits: change one in the middle)
    flipped = genuine[:-5] + ("A" if genuine[-5] != "A" else "B") + genuine[-4:]
    for code in (tampered, foreign_key, flipped,
                 asel.token, str(asel.id), "<script>alert(1)</script>", "ÄÖ", "x" * 500):
        answer = scan(door, "test-forum", code).get_json()
        assert answer["result"] == "invalid", code
        assert answer["message"] == "Unknown or forged ticket"
    assert stored(asel.id).checked_in_at is None and stored(other_id).checked_in_at is None


def test_a_ticket_for_another_event_is_named(door, event):
    other = make_event("other-forum", title={"en": "Fashion Week Almaty"})
    guest = make_registration(other, email="guest@example.kz")
    answer = scan(door, "test-forum", ticket_code(guest)).get_json()
    assert answer["result"] == "other_event"
    assert answer["message"] == "Ticket for another event: Fashion Week Almaty"
    assert stored(guest.id).checked_in_at is None


def test_without_javascript_the_form_posts_and_the_page_answers(door, event):
    asel = make_registration(event, "<b>Әсел</b> Нұрланқызы")
    response = scan(door, "test-forum", ticket_code(asel), as_json=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Checked in" in html and "checkin-ok" in html
    assert "&lt;b&gt;Әсел&lt;/b&gt; Нұрланқызы" in html and "<b>Әсел</b>" not in html
    again = scan(door, "test-forum", ticket_code(asel), as_json=False).get_data(as_text=True)
    assert "Already checked in at" in again


def test_a_scan_needs_the_csrf_token(door, event):
    asel = make_registration(event)
    response = door.post("/manage/e/test-forum/checkin", data={"code": ticket_code(asel)},
                         headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert stored(asel.id).checked_in_at is None


def test_search_by_name_finds_kazakh_names_in_any_case_and_checks_in(door, event):
    asel = make_registration(event)
    make_registration(event, "Ержан Сатыбалдиев", organisation="Kazakh Fashion Week")
    page = door.get("/manage/e/test-forum/checkin?q=әсел").get_data(as_text=True)
    assert "Әсел Нұрланқызы" in page and "Ержан" not in page
    assert "Kazakh Fashion Week" in door.get("/manage/e/test-forum/checkin?q=fashion").get_data(as_text=True)

    token = page_csrf(door, "/manage/e/test-forum/checkin")
    answer = door.post("/manage/e/test-forum/checkin", data={"registration_id": asel.id, "csrf_token": token})
    assert "Checked in" in answer.get_data(as_text=True)
    assert stored(asel.id).checked_in_at is not None


def test_search_at_the_door_folds_kazakh_letters_in_the_middle_of_words(door, event):
    make_registration(event, "Әсел Нұрланқызы", organisation="«ҚазақТекстиль» ЖШС")
    for q in ("сел нұР", "НҰРЛАНҚЫЗЫ әСЕЛ", "ақтекст", "қазақтекстиль"):
        page = door.get("/manage/e/test-forum/checkin", query_string={"q": q}).get_data(as_text=True)
        assert "Әсел Нұрланқызы" in page, q
    assert "Әсел Нұрланқызы" not in door.get("/manage/e/test-forum/checkin?q=Ержан").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, event):
    asel = make_registration(event)
    for path in ("/manage/e/test-forum/checkin", "/manage/e/test-forum/checkin/counts"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/manage/e/test-forum/checkin", data={"code": ticket_code(asel)})
    assert response.status_code in (302, 400)
    assert stored(asel.id).checked_in_at is None


def test_staff_reach_check_in_only(door, event):
    asel = make_registration(event)
    scan(door, "test-forum", ticket_code(asel))
    for path in ("/manage/e/test-forum/", "/manage/e/test-forum/team", "/manage/e/test-forum/badges",
                 "/manage/e/test-forum/badges.pdf", f"/manage/e/test-forum/registrations/{asel.id}/ticket.pdf"):
        assert door.get(path).status_code == 403, path
    token = page_csrf(door, "/manage/e/test-forum/checkin")
    assert door.post(f"/manage/e/test-forum/checkin/{asel.id}/undo", data={"csrf_token": token}).status_code == 403
    assert stored(asel.id).checked_in_at is not None
    make_event("other-forum")
    assert door.get("/manage/e/other-forum/checkin").status_code == 403


def test_organisers_undo_a_check_in(admin_client, event):
    asel = make_registration(event)
    scan(admin_client, "test-forum", ticket_code(asel))
    token = page_csrf(admin_client, "/manage/e/test-forum/checkin")
    response = admin_client.post(f"/manage/e/test-forum/checkin/{asel.id}/undo", data={"csrf_token": token},
                                 follow_redirects=True)
    assert "The check-in was undone." in response.get_data(as_text=True)
    assert stored(asel.id).checked_in_at is None
    assert scan(admin_client, "test-forum", ticket_code(asel)).get_json()["result"] == "checked_in"


def test_the_team_page_adds_check_in_staff(admin_client, event, client):
    token = page_csrf(admin_client, "/manage/e/test-forum/team")
    admin_client.post("/manage/e/test-forum/team", data={
        "email": "door@example.kz", "name": "Door", "password": "long enough password", "role": "checkin_staff",
        "csrf_token": token})
    admin_client.post("/logout", data={"csrf_token": page_csrf(admin_client, "/manage/e/test-forum/checkin")})
    login(client, "door@example.kz", "long enough password")
    assert client.get("/manage/e/test-forum/checkin").status_code == 200
    assert client.get("/manage/e/test-forum/").status_code == 403


# ---- at a round table's door -----------------------------------------------------------------


@pytest.fixture
def round_table(event):
    return make_item(event, "Круглый стол", kind="round_table", takes_signups=True, door_checkin=True, capacity=2)


def test_item_door_admits_only_confirmed_places(door, event, round_table):
    seated, queued, elsewhere = (make_registration(event, n, email=f"{i}@x.kz") for i, n in
                                 enumerate(("Әсел", "Бауыржан", "Гүлнар")))
    sign_up(seated, round_table)
    sign_up(queued, round_table, status="waiting")
    assert door.get(f"/manage/e/test-forum/checkin?item={round_table.id}").status_code == 200

    answer = scan(door, "test-forum", ticket_code(seated), item=round_table).get_json()
    assert answer["result"] == "checked_in" and answer["counts"] == {"expected": 1, "arrived": 1}
    assert scan(door, "test-forum", ticket_code(seated), item=round_table).get_json()["result"] == "already_checked_in"
    answer = scan(door, "test-forum", ticket_code(queued), item=round_table).get_json()
    assert answer["result"] == "item_waiting" and not answer["ok"]
    answer = scan(door, "test-forum", ticket_code(elsewhere), item=round_table).get_json()
    assert answer["message"] == "Not signed up for this item"
    # the item door does not check people in at the entrance
    assert stored(seated.id).checked_in_at is None
    signup = db.session.scalar(db.select(ItemSignup).filter_by(registration_id=seated.id))
    assert signup.checked_in_at is not None


def test_items_without_door_check_in_have_no_door_page(door, event):
    plenary = make_item(event)
    assert door.get(f"/manage/e/test-forum/checkin?item={plenary.id}").status_code == 404


# ---- two scans of one ticket at the same moment ----------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite serialises writers; the race needs PostgreSQL")
def test_two_simultaneous_scans_check_in_once(app, event):
    """Both threads have read the registration as 'not checked in' before either writes. The
    conditional UPDATE lets exactly one through; the naive read-then-write lets both through."""
    event_id = event.id
    asel_id = make_registration(event).id

    def race(work):
        barrier = threading.Barrier(2)
        answers = []

        def one_scan():
            with app.app_context():
                from forumapp.programme.models import Event

                ev = db.session.get(Event, event_id)
                registration = db.session.get(Registration, asel_id)
                assert registration.checked_in_at is None
                barrier.wait()
                answers.append(work(ev, registration))
                db.session.remove()

        threads = [threading.Thread(target=one_scan) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(answers)

    def naive(ev, registration):
        if registration.checked_in_at is None:
            registration.checked_in_at = datetime(2016, 6, 9, 4, 0)
            db.session.commit()
            return "checked_in"
        return "already_checked_in"

    assert race(naive) == ["checked_in", "checked_in"]  # the race is real
    db.session.execute(db.update(Registration).values(checked_in_at=None))
    db.session.commit()

    results = race(lambda ev, registration: service.check_in(ev, registration, None).result)
    assert results == ["already_checked_in", "checked_in"]


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite serialises writers; the race needs PostgreSQL")
def test_two_simultaneous_scans_through_http(app, client, event):
    staff_client(client, event)
    asel = make_registration(event)
    code = ticket_code(asel)
    second = app.test_client()
    second.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    g.pop("csrf_token", None)  # Flask-WTF caches the first desk's token in the shared test context
    assert login(second, "door@example.kz").status_code == 302
    desks = []
    for desk in (client, second):
        g.pop("csrf_token", None)
        desks.append((desk, page_csrf(desk, "/manage/e/test-forum/checkin")))
    barrier = threading.Barrier(2)
    answers = []

    def one_scan(desk, token):
        barrier.wait()
        response = desk.post("/manage/e/test-forum/checkin", data={"code": code},
                             headers={"X-CSRFToken": token, "Accept": "application/json"})
        answers.append(response.get_json()["result"])

    threads = [threading.Thread(target=one_scan, args=desk) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["already_checked_in", "checked_in"]


def test_organisers_undo_a_check_in_at_an_item_door(admin_client, event, round_table):
    seated = make_registration(event)
    sign_up(seated, round_table)
    scan(admin_client, "test-forum", ticket_code(seated), item=round_table)
    token = page_csrf(admin_client, "/manage/e/test-forum/checkin")
    response = admin_client.post(f"/manage/e/test-forum/checkin/{seated.id}/undo",
                                 data={"csrf_token": token, "item": round_table.id})
    assert response.headers["Location"].endswith(f"/manage/e/test-forum/checkin?item={round_table.id}")
    db.session.expire_all()
    assert db.session.scalar(db.select(ItemSignup).filter_by(registration_id=seated.id)).checked_in_at is None
    counts = admin_client.get(f"/manage/e/test-forum/checkin/counts?item={round_table.id}").get_json()
    assert counts == {"expected": 1, "arrived": 0}


def test_check_in_staff_find_their_desk_on_the_events_page(door, event):
    listing = door.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/e/test-forum/checkin"' in listing
    assert 'href="/manage/e/test-forum/"' not in listing


def test_enter_in_an_empty_field_changes_nothing(door, event):
    response = scan(door, "test-forum", "   ", as_json=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/e/test-forum/checkin")
