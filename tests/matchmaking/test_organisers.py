"""Organisers through HTTP: sessions, approving and hiding profiles, running the scheduler (its
rules on the real database), the matrix, moves with warnings, publishing, later acceptances,
printing, the door and the figures."""

import io
import re
from datetime import time

import pytest
from pypdf import PdfReader

from forumapp.accounts.models import ORGANISER, EventRole
from forumapp.extensions import db
from forumapp.matchmaking.models import MatchSession, Meeting, MeetingRequest, Profile
from tests.conftest import make_item
from tests.matchmaking.helpers import (
    answer,
    b2b,
    forum,
    messages,
    opt_in,
    page_token,
    participant,
    request_meeting,
)


@pytest.fixture
def event(app):
    return forum()


@pytest.fixture
def manage(admin_client, event):
    return admin_client


def add_session(client, event, *, tables=2, starts="10:00", ends="11:00", minutes=20, breaks="", day=None):
    path = f"/manage/e/{event.slug}/b2b/sessions/new"
    return client.post(path, data={
        "csrf_token": page_token(client, path), "name-en": "B2B hall", "hall": "0",
        "day": (day or event.starts_on).isoformat(), "starts": starts, "ends": ends, "slot_minutes": str(minutes),
        "tables": str(tables), "breaks": breaks})


def pair(client, event, a, b, *, accept=True):
    """a asks b; b accepts (or declines). Returns the request."""
    target = db.session.scalar(db.select(Profile).filter_by(registration_id=b.id))
    assert request_meeting(client, a, target).status_code == 302
    request = db.session.scalar(db.select(MeetingRequest).order_by(MeetingRequest.id.desc()))
    assert answer(client, b, request.id, "accept" if accept else "decline").status_code == 302
    return request


def people(client, event, n, **kwargs):
    out = []
    for i in range(n):
        registration = participant(event, f"Person {i}", f"p{i}@example.kz", **kwargs.get(f"p{i}", {}))
        opt_in(client, registration, f"Org {i}", offers=[("workwear", "Suits")], seeks=[("workwear", "Suits")])
        out.append(registration)
    return out


def run(client, event):
    return client.post(f"/manage/e/{event.slug}/b2b/schedule/run",
                       data={"csrf_token": page_token(client, f"/manage/e/{event.slug}/b2b")})


def publish(client, event):
    return client.post(f"/manage/e/{event.slug}/b2b/schedule/publish",
                       data={"csrf_token": page_token(client, f"/manage/e/{event.slug}/b2b")})


def cells():
    db.session.expire_all()
    return {m.request_id: (m.starts_at, m.table_number) for m in db.session.scalars(db.select(Meeting)) if m.is_placed}


def test_a_session_is_cut_into_slots_around_its_breaks(manage, event):
    assert add_session(manage, event, starts="10:00", ends="12:00", minutes=20, breaks="10:40-11:00").status_code == 302
    session = db.session.scalar(db.select(MatchSession))
    starts = [event.local(s.starts_at).strftime("%H:%M") for s in session.slots()]
    assert starts == ["10:00", "10:20", "11:00", "11:20", "11:40"]
    assert "B2B hall" in manage.get(f"/manage/e/{event.slug}/b2b").get_data(as_text=True)


def test_sessions_may_not_overlap_and_bad_input_is_a_field_error(manage, event):
    add_session(manage, event)
    response = add_session(manage, event, starts="10:30", ends="11:30")
    assert response.status_code == 400 and "overlaps" in response.get_data(as_text=True)
    assert add_session(manage, event, starts="12:00", ends="11:00").status_code == 400
    assert add_session(manage, event, starts="12:00", ends="13:00", breaks="lunch").status_code == 400
    assert add_session(manage, event, starts="12:00", ends="13:00", tables=0).status_code == 400


def test_the_scheduler_never_double_books_and_uses_a_table_once_per_slot(manage, event):
    add_session(manage, event, tables=1, starts="10:00", ends="11:00")  # 3 slots, 1 table
    a, b, c, d = people(manage, event, 4)
    pair(manage, event, a, b)
    pair(manage, event, a, c)
    pair(manage, event, c, d)
    pair(manage, event, b, d)
    assert run(manage, event).status_code == 302
    placed = cells()
    assert len(placed) == 3  # one table x three slots
    assert len(set(placed.values())) == 3  # never the same table in one slot
    by_person = {}
    for request in db.session.scalars(db.select(MeetingRequest)):
        if request.id in placed:
            for profile_id in (request.requester_id, request.recipient_id):
                by_person.setdefault(profile_id, []).append(placed[request.id][0])
    assert all(len(times) == len(set(times)) for times in by_person.values())


def test_no_meeting_during_an_item_the_participant_signed_up_for(manage, event):
    item = make_item(event, "Round table", start="10:00", end="10:40", takes_signups=True, capacity=10)
    add_session(manage, event, tables=5, starts="10:00", ends="11:00")
    a = participant(event, "Signed up", "a@example.kz", item_ids=[item.id])
    b = participant(event, "Free", "b@example.kz")
    opt_in(manage, a, "A LLP", offers=[("export", "x")])
    opt_in(manage, b, "B LLP", seeks=[("export", "x")])
    pair(manage, event, b, a)
    run(manage, event)
    [(starts, _table)] = cells().values()
    assert event.local(starts).strftime("%H:%M") == "10:40"


def test_not_before_is_respected(manage, event):
    add_session(manage, event, tables=5, starts="10:00", ends="11:00")
    a = participant(event, "Late riser", "a@example.kz")
    b = participant(event, "B", "b@example.kz")
    opt_in(manage, a, "A LLP", offers=[("export", "x")], not_before="10:20")
    opt_in(manage, b, "B LLP", seeks=[("export", "x")])
    assert db.session.scalar(db.select(Profile).filter_by(registration_id=a.id)).not_before == time(10, 20)
    pair(manage, event, b, a)
    run(manage, event)
    [(starts, _table)] = cells().values()
    assert event.local(starts).strftime("%H:%M") >= "10:20"


def test_publish_then_a_later_acceptance_fills_a_free_cell_without_moving_published_ones(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="11:00")
    a, b, c, d = people(manage, event, 4)
    pair(manage, event, a, b)
    pair(manage, event, c, d)
    run(manage, event)
    before = cells()
    assert publish(manage, event).status_code == 302
    assert {m.to for m in messages("schedule")} == {"p0@example.kz", "p1@example.kz", "p2@example.kz", "p3@example.kz"}
    # The participant sees the published meeting on the page.
    assert "Org 1" in manage.get(b2b(a)).get_data(as_text=True).split("Your meetings")[1].split("Requests to you")[0]
    late = pair(manage, event, a, c)
    after = cells()
    assert {k: after[k] for k in before} == before  # nothing published moved
    assert late.id in after
    db.session.expire_all()
    assert db.session.get(Meeting, late.meeting.id).published_at is not None
    assert {m.to for m in messages("meeting_placed")} == {"p0@example.kz", "p2@example.kz"}
    # Running the scheduler again keeps every published meeting where it is.
    run(manage, event)
    assert cells() == after


def test_the_matrix_and_manual_moves_with_warnings(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="10:40")  # 2 slots x 2 tables
    a, b, c = people(manage, event, 3)
    first = pair(manage, event, a, b)
    second = pair(manage, event, a, c)
    run(manage, event)
    page = manage.get(f"/manage/e/{event.slug}/b2b/matrix").get_data(as_text=True)
    assert "Org 0 / Org 1" in page and "Table 2" in page
    placed = cells()
    first_meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=first.id))
    second_meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=second.id))
    slot_of_second = 0 if placed[second.id][0] < placed[first.id][0] else 1
    token = page_token(manage, f"/manage/e/{event.slug}/b2b/matrix")
    move = f"/manage/e/{event.slug}/b2b/meetings/{first_meeting.id}/move"
    # Into the second meeting's own cell: the table is taken.
    response = manage.post(move, data={"csrf_token": token, "cell": str(slot_of_second),
                                       "table": str(placed[second.id][1])})
    assert response.status_code == 409
    # Into the other table of that slot: allowed, with a warning (Org 0 twice at once).
    other_table = 3 - placed[second.id][1]
    response = manage.post(move, data={"csrf_token": token, "cell": str(slot_of_second), "table": str(other_table)},
                           follow_redirects=True)
    assert "Org 0 has two meetings at this time" in response.get_data(as_text=True)
    assert manage.post(move, data={"csrf_token": token, "cell": "0", "table": "9"}).status_code == 400
    assert manage.post(move, data={"csrf_token": token, "cell": "99", "table": "1"}).status_code == 400
    assert second_meeting.id


def test_moving_a_published_meeting_mails_both_sides(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="10:40")
    a, b = people(manage, event, 2)
    request = pair(manage, event, a, b)
    run(manage, event)
    publish(manage, event)
    meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=request.id))
    token = page_token(manage, f"/manage/e/{event.slug}/b2b/matrix")
    manage.post(f"/manage/e/{event.slug}/b2b/meetings/{meeting.id}/move",
                data={"csrf_token": token, "cell": "1", "table": "2"})
    assert {m.to for m in messages("meeting_moved")} == {"p0@example.kz", "p1@example.kz"}


def test_approve_and_hide_profiles(manage, event):
    a, b = people(manage, event, 2)
    profile = db.session.scalar(db.select(Profile).filter_by(registration_id=a.id))
    path = f"/manage/e/{event.slug}/b2b/profiles/{profile.id}"
    token = page_token(manage, f"/manage/e/{event.slug}/b2b")
    assert manage.post(path, data={"csrf_token": token, "action": "hide"}).status_code == 302
    manage.get(f"/manage/e/{event.slug}/b2b")  # (shows the flashed message)
    assert "Org 0" not in manage.get(b2b(b) + "/catalogue").get_data(as_text=True)
    manage.post(path, data={"csrf_token": token, "action": "approve"})
    assert "checked by the organisers" in manage.get(b2b(b) + "/catalogue").get_data(as_text=True)
    assert manage.post(path, data={"csrf_token": token, "action": "delete"}).status_code == 400


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_personal_schedule_pdf_and_ics_and_the_organisers_prints(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="11:00")
    a = participant(event, "Әсел Нұрланқызы", "asel@example.kz", locale="kk")
    b = participant(event, "Гүлмира Уақытова", "g@example.kz")
    opt_in(manage, a, "«Жасампаз» консорциумы", offers=[("school_uniform", "x")])
    opt_in(manage, b, "Өрнек ЖШС", seeks=[("school_uniform", "x")])
    pair(manage, event, b, a)
    run(manage, event)
    # Before publishing, the participant's schedule is empty (a draft may still change).
    assert "Өрнек" not in pdf_text(manage.get(b2b(a) + "/meetings.pdf").data)
    publish(manage, event)
    response = manage.get(b2b(a) + "/meetings.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Өрнек ЖШС" in text and "Гүлмира Уақытова" in text
    ics = manage.get(b2b(a) + "/meetings.ics")
    assert ics.mimetype == "text/calendar" and b"BEGIN:VEVENT" in ics.data and "Өрнек ЖШС" in ics.data.decode()
    signs = pdf_text(manage.get(f"/manage/e/{event.slug}/b2b/signs.pdf").data)
    assert "«Жасампаз» консорциумы" in signs and "Әсел Нұрланқызы" in signs
    master = pdf_text(manage.get(f"/manage/e/{event.slug}/b2b/master.pdf").data)
    assert "Өрнек ЖШС" in master


def test_door_outcomes_and_figures(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="11:00")
    a, b, c = people(manage, event, 3)
    held = pair(manage, event, a, b)
    missed = pair(manage, event, a, c)
    pair(manage, event, b, c, accept=False)
    run(manage, event)
    publish(manage, event)
    token = page_token(manage, f"/manage/e/{event.slug}/b2b/matrix")
    for request, value in ((held, "held"), (missed, "no_show")):
        meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=request.id))
        assert manage.post(f"/manage/e/{event.slug}/b2b/meetings/{meeting.id}/door",
                           data={"csrf_token": token, "attendance": value}).status_code == 302
    meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=held.id))
    response = manage.post(f"{b2b(b)}/meetings/{meeting.id}/outcome",
                           data={"csrf_token": page_token(manage, b2b(b)), "outcome": "contract"})
    assert response.status_code == 302
    # Someone who was not at the meeting cannot report on it.
    assert manage.post(f"{b2b(c)}/meetings/{meeting.id}/outcome",
                       data={"csrf_token": page_token(manage, b2b(c)), "outcome": "contract"}).status_code == 404
    page = manage.get(f"/manage/e/{event.slug}/b2b").get_data(as_text=True)

    def figure(label):
        return int(re.search(rf"<th scope=\"row\">{label}</th><td>(\d+)</td>", page).group(1))

    assert figure("Meetings requested") == 3
    assert figure("Accepted") == 2
    assert figure("Declined") == 1
    assert figure("Held") == 1
    assert figure("No-shows") == 1
    assert figure("Outcome: contract or order signed") == 1
    assert "Workwear and special clothing" in page  # outcomes by category


def test_another_events_organiser_sees_nothing(client, event):
    from tests.conftest import login, make_event, make_user

    other = make_event("other-forum")
    user = make_user("other@example.kz")
    db.session.add(EventRole(user_id=user.id, event_id=other.id, role=ORGANISER))
    db.session.commit()
    login(client, "other@example.kz")
    assert client.get(f"/manage/e/{event.slug}/b2b").status_code == 403
    assert client.get(f"/manage/e/{other.slug}/b2b").status_code == 200


def test_preferred_hours_are_tried_first(manage, event):
    add_session(manage, event, tables=5, starts="10:00", ends="11:00")
    a = participant(event, "Afternoon person", "a@example.kz")
    b = participant(event, "B", "b@example.kz")
    opt_in(manage, a, "A LLP", offers=[("export", "x")], prefer_from="10:40")
    opt_in(manage, b, "B LLP", seeks=[("export", "x")])
    pair(manage, event, b, a)
    run(manage, event)
    [(starts, _table)] = cells().values()
    assert event.local(starts).strftime("%H:%M") == "10:40"


def test_leaving_after_publishing_tells_the_other_side(manage, event):
    add_session(manage, event, tables=2, starts="10:00", ends="10:40")
    a, b = people(manage, event, 2)
    pair(manage, event, a, b)
    run(manage, event)
    publish(manage, event)
    response = manage.post(b2b(a) + "/withdraw", data={"csrf_token": page_token(manage, b2b(a))})
    assert response.status_code == 302
    [mail] = messages("meeting_cancelled")
    assert mail.to == "p1@example.kz" and "Org 0" in mail.body_text
    assert db.session.scalar(db.select(Meeting)) is None


def test_check_in_staff_mark_meetings_at_the_door_and_see_nothing_else(client, event):
    from forumapp.accounts.models import CHECKIN_STAFF
    from tests.conftest import login, make_user
    from tests.matchmaking.factories import matchmaking_world

    a = participant(event, "A", "a@example.kz")
    ids = matchmaking_world(event, a, a.category_id)
    staff = make_user("desk@example.kz")
    db.session.add(EventRole(user_id=staff.id, event_id=event.id, role=CHECKIN_STAFF))
    db.session.commit()
    client.get("/?lang=en")
    login(client, "desk@example.kz")
    page = client.get(f"/manage/e/{event.slug}/b2b/door")
    assert page.status_code == 200 and "Theirs LLP / Mine LLP" in page.get_data(as_text=True)
    token = page_token(client, f"/manage/e/{event.slug}/b2b/door")
    response = client.post(f"/manage/e/{event.slug}/b2b/meetings/{ids['meeting_id']}/door",
                           data={"csrf_token": token, "attendance": "held"})
    assert response.status_code == 302
    assert db.session.get(Meeting, ids["meeting_id"]).attendance == "held"
    assert client.get(f"/manage/e/{event.slug}/b2b/matrix").status_code == 403
    assert client.get(f"/manage/e/{event.slug}/b2b").status_code == 403
