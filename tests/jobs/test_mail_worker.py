"""E-mail goes out from the background: through a Celery worker to an SMTP server (aiosmtpd), or
a thread of the embedded default; a hanging SMTP server never holds a request."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage
from tests.jobs.conftest import wait_for
from tests.jobs.smtp_sinks import HangingSMTP, SMTPSink
from tests.registration.helpers import open_event, register, registrations
from tests.registration.test_manage import act


@pytest.fixture
def sink(app):
    with SMTPSink() as server:
        app.config["SMTP_URL"] = server.url
        yield server
    app.config["SMTP_URL"] = ""


@pytest.fixture
def hanging(app):
    with HangingSMTP() as server:
        app.config.update(SMTP_URL=server.url, SMTP_TIMEOUT=4)
        yield server
    app.config.update(SMTP_URL="", SMTP_TIMEOUT=20)


def messages() -> list[OutgoingMessage]:
    return list(db.session.scalars(db.select(OutgoingMessage).order_by(OutgoingMessage.id)))


def test_the_confirmation_with_its_ticket_is_sent_by_the_worker(client, sink, workers):
    open_event()
    worker = workers()
    register(client, "Гүлмира Уақытова", "gulmira@example.kz")
    [received] = wait_for(lambda: list(sink.messages), 60, "the worker to send the confirmation", worker)
    assert received["To"] == "gulmira@example.kz"
    [ticket] = [part for part in received.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = " ".join(PdfReader(io.BytesIO(ticket.get_content())).pages[0].extract_text().split())
    assert "Гүлмира Уақытова" in text, "the ticket rendered in the worker names the participant"
    [message] = wait_for(lambda: [m for m in messages() if m.status == "sent"], 10, "the outbox row to say sent")
    assert message.attempts == 1
    time.sleep(6)  # a sweep of the outbox (every 5 s in the test worker) must not send it again
    assert len(sink.messages) == 1


def test_a_message_queued_while_no_task_was_sent_goes_out_with_the_sweep(app, client, sink, workers):
    """The outbox is the record of what must go out: a message whose task never reached the
    broker (SMTP was configured only later, say) is sent by the periodic sweep."""
    open_event()
    app.config["SMTP_URL"] = ""  # the web process sends no task
    register(client, "Даулет Бакберген", "daulet@example.kz")
    app.config["SMTP_URL"] = sink.url
    [message] = messages()
    message.created_at = message.created_at.replace(year=message.created_at.year - 1)  # older than its task takes
    db.session.commit()
    worker = workers()
    wait_for(lambda: list(sink.messages), 60, "the sweep to send the message", worker)
    assert sink.messages[0]["To"] == "daulet@example.kz"


def test_a_hanging_smtp_server_does_not_hold_the_registration_nor_the_organisers_cancel(
        app, client, admin_client, hanging):
    """The embedded default (no broker): the message is sent by a thread of the web process."""
    open_event(capacity=1)
    app.config["JOBS_EAGER"] = False
    started = time.monotonic()
    response = register(client, "Әсел Нұрланқызы", "asel@example.kz")
    assert response.status_code == 302
    assert time.monotonic() - started < app.config["SMTP_TIMEOUT"], "the request did not wait for SMTP"
    [registration] = registrations()
    started = time.monotonic()
    response = act(admin_client, registration.id, "cancel")
    assert response.status_code == 302, "an organiser's cancel is answered, not a 500"
    assert time.monotonic() - started < app.config["SMTP_TIMEOUT"]
    assert registrations()[0].status == "cancelled"
    failed = wait_for(lambda: [m for m in messages() if m.attempts == 1], 30, "the background attempts to time out")
    assert all("timed out" in m.last_error and m.status == "queued" for m in failed), "kept, to be retried"


def test_with_a_broker_the_request_only_publishes_the_task(app, client, hanging, with_broker):
    open_event()
    started = time.monotonic()
    assert register(client, "Ержан Жұмабаев", "erzhan@example.kz").status_code == 302
    assert time.monotonic() - started < app.config["SMTP_TIMEOUT"]
    [message] = messages()
    assert message.status == "queued" and message.attempts == 0, "nobody talked to SMTP in the request"
