"""The participant's ticket: the PDF from the private page, its QR code, and the e-mail."""

from __future__ import annotations

import io
import re

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage
from forumapp.registration.outbox import build_email
from forumapp.registration.tickets import read_ticket_code
from tests.conftest import make_event
from tests.registration.checkin_factories import make_category, make_registration, scan, staff_client
from tests.registration.helpers import open_event, register, registrations


def pdf_text(data: bytes) -> str:
    """The text of all pages with line breaks as spaces (long names wrap)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def qr_matrix_from_pdf(data: bytes) -> list[list[bool]]:
    """Read the QR code's modules back from the PNG embedded in the PDF (6 px per module, a
    border of 2 modules): True for a dark module."""
    [image] = PdfReader(io.BytesIO(data)).pages[0].images
    picture = Image.open(io.BytesIO(image.data)).convert("L")
    size = picture.width // 6 - 4
    return [[picture.getpixel(((x + 2) * 6 + 3, (y + 2) * 6 + 3)) < 128 for x in range(size)] for y in range(size)]


def printed_code(text: str) -> str:
    match = re.search(r"T1\.\d+\.\d+\.[A-Za-z0-9_-]+", text)
    assert match, text
    return match.group(0)


@pytest.fixture
def confirmed(client):
    event = open_event(capacity=10)
    delegate = make_category(event, en="Delegate", ru="Делегат", kk="Делегат")
    event_id = event.id
    response = register(client, category=str(delegate.id))
    assert response.status_code == 302
    [registration] = registrations()
    assert registration.status == "confirmed" and registration.event_id == event_id
    return registration


def test_the_ticket_pdf_has_the_participant_the_event_and_a_qr_code_that_checks_in(app, client, confirmed):
    page = client.get(f"/e/test-forum/r/{confirmed.token}").get_data(as_text=True)
    assert f"/e/test-forum/r/{confirmed.token}/ticket.pdf" in page

    response = client.get(f"/e/test-forum/r/{confirmed.token}/ticket.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = pdf_text(response.data)
    for expected in ("Әсел Нұрланқызы", "Қазақстан жеңіл өнеркәсіп қауымдастығы", "Директор", "DELEGATE",
                     "Light Industry Forum", "9–10 June 2036", "Palace of the Republic, Almaty"):
        assert expected in text, expected
    assert confirmed.token not in text  # the private link stays private

    code = printed_code(text)
    assert read_ticket_code(code).registration_id == confirmed.id
    assert qr_matrix_from_pdf(response.data) == [[bool(v) for v in row] for row in segno.make(code, error="m").matrix]

    door = app.test_client()
    door.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    from flask import g

    g.pop("csrf_token", None)
    staff_client(door, confirmed.event)
    assert scan(door, "test-forum", code).get_json()["result"] == "checked_in"


def test_the_ticket_is_printed_in_the_visitors_language(client, confirmed):
    text = pdf_text(client.get(f"/e/test-forum/r/{confirmed.token}/ticket.pdf?lang=kk").data)
    assert "Жеңіл өнеркәсіп форумы" in text and "Әсел Нұрланқызы" in text and "2036" in text


def test_html_in_a_name_is_printed_as_text(client):
    event = make_event()
    registration = make_registration(event, "<b>Bold</b> & <i>Co</i>", organisation="<script>x</script> LLP")
    text = pdf_text(client.get(f"/e/test-forum/r/{registration.token}/ticket.pdf").data)
    assert "<b>Bold</b> & <i>Co</i>" in text and "<script>x</script> LLP" in text


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("waiting", "You are on the waiting list"),
        ("pending", "awaiting confirmation"),
        ("cancelled", "This registration was cancelled"),
        ("rejected", "was not accepted"),
    ],
)
def test_no_ticket_before_confirmation_and_a_clear_message(client, status, message):
    event = make_event()
    registration = make_registration(event, status=status)
    response = client.get(f"/e/test-forum/r/{registration.token}/ticket.pdf")
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_a_wrong_link_finds_no_ticket(client):
    event = make_event()
    other = make_event("other-forum")
    registration = make_registration(event)
    assert client.get("/e/test-forum/r/not-a-token/ticket.pdf").status_code == 404
    assert client.get(f"/e/other-forum/r/{registration.token}/ticket.pdf").status_code == 404
    assert client.get(f"/e/other-forum/r/{registration.token}/ticket.pdf").status_code == 404
    assert other.id != event.id


def test_the_confirmation_e_mail_carries_the_ticket_rendered_at_send_time(client, confirmed):
    [message] = db.session.scalars(db.select(OutgoingMessage)).all()
    assert message.attachments == [
        {"filename": "ticket-test-forum.pdf", "mime": "application/pdf", "kind": "ticket"}
    ]
    confirmed.full_name = "Әсел Нұрланқызы Сейітова"  # changed after the e-mail was queued
    db.session.commit()
    email = build_email(message)
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == "ticket-test-forum.pdf"
    text = pdf_text(attachment.get_content())
    assert "Әсел Нұрланқызы Сейітова" in text
    assert "Жеңіл өнеркәсіп форумы" in text  # the participant chose Kazakh
    assert read_ticket_code(printed_code(text)).registration_id == confirmed.id


def test_a_waiting_list_e_mail_has_no_ticket(client):
    open_event(capacity=0)
    register(client)
    [registration] = registrations()
    assert registration.status == "waiting"
    [message] = db.session.scalars(db.select(OutgoingMessage)).all()
    assert message.attachments == []
    page = client.get(f"/e/test-forum/r/{registration.token}").get_data(as_text=True)
    assert "The ticket will be here once your registration is confirmed." in page


def test_organisers_download_a_participants_ticket(admin_client):
    event = make_event()
    registration = make_registration(event)
    response = admin_client.get(f"/manage/e/test-forum/registrations/{registration.id}/ticket.pdf")
    assert response.status_code == 200 and "Әсел Нұрланқызы" in pdf_text(response.data)


def test_the_sent_e_mail_carries_the_ticket_pdf(app, client):
    from tests.registration.fake_smtp import FakeSMTP

    with FakeSMTP() as server:
        app.config["SMTP_URL"] = server.url
        try:
            open_event(capacity=10)
            register(client, email="asel@example.kz")
        finally:
            app.config["SMTP_URL"] = ""
    [received] = server.received
    [ticket] = [a for a in received.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert ticket.get_filename() == "ticket-test-forum.pdf"
    text = pdf_text(ticket.get_content())
    assert "Әсел Нұрланқызы" in text and "Жеңіл өнеркәсіп форумы" in text
