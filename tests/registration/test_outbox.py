"""E-mail: queued with the registration, sent after commit, retried after an SMTP failure, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forumapp.extensions import db
from forumapp.registration import outbox
from forumapp.registration.models import OutgoingMessage
from forumapp.timeutil import utcnow
from tests.registration.fake_smtp import FakeSMTP
from tests.registration.helpers import open_event, register, registrations


@pytest.fixture
def smtp(app):
    def start(fail_first=0):
        server = FakeSMTP(fail_first).__enter__()
        started.append(server)
        app.config["SMTP_URL"] = server.url
        return server

    started = []
    yield start
    app.config["SMTP_URL"] = ""
    for server in started:
        server.__exit__(None, None, None)


def _make_due(message_id):
    db.session.expire_all()
    message = db.session.get(OutgoingMessage, message_id)
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_without_smtp_messages_stay_in_the_outbox_that_organisers_read(client, admin_client):
    open_event()
    register(client, email="asel@example.kz")
    page = admin_client.get("/manage/e/test-forum/outbox").get_data(as_text=True)
    assert "asel@example.kz" in page and "queued" in page and "No mail server is configured" in page
    message = db.session.scalar(db.select(OutgoingMessage))
    body = admin_client.get(f"/manage/e/test-forum/outbox?message={message.id}").get_data(as_text=True)
    assert "/e/test-forum/r/" in body


def test_sent_after_commit_in_the_participants_language(client, smtp):
    server = smtp()
    open_event()
    register(client, email="asel@example.kz", locale="ru")
    [received] = server.received
    assert received["To"] == "asel@example.kz"
    assert "Форум лёгкой промышленности" in received["Subject"]
    assert registrations()[0].token in received.get_body(preferencelist=("plain",)).get_content()
    message = db.session.scalar(db.select(OutgoingMessage))
    assert message.status == "sent" and message.attempts == 1 and message.sent_at is not None


def test_a_failed_send_is_kept_retried_with_backoff_and_then_sent(client, runner, smtp, admin_client):
    server = smtp(fail_first=1)
    open_event()
    response = register(client, email="asel@example.kz")
    assert response.status_code == 302  # the registration does not depend on the mail server
    assert len(registrations()) == 1
    message = db.session.scalar(db.select(OutgoingMessage))
    assert message.status == "queued" and message.attempts == 1
    assert "451" in message.last_error and message.next_attempt_at > utcnow()
    assert "451" in admin_client.get("/manage/e/test-forum/outbox").get_data(as_text=True)
    # Not due yet: the CLI leaves it alone.
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 0" in result.output and server.received == []
    _make_due(message.id)
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 1" in result.output, result.output
    db.session.expire_all()
    message = db.session.get(OutgoingMessage, message.id)
    assert message.status == "sent" and message.attempts == 2 and message.last_error == ""
    assert len(server.received) == 1


def test_after_the_last_attempt_a_message_is_failed_visible_and_can_be_sent_again(client, smtp, admin_client):
    server = smtp(fail_first=outbox.MAX_ATTEMPTS)
    open_event()
    register(client, email="asel@example.kz")
    message_id = db.session.scalar(db.select(OutgoingMessage.id))
    for _attempt in range(outbox.MAX_ATTEMPTS - 1):
        _make_due(message_id)
        outbox.deliver_pending()
    db.session.expire_all()
    message = db.session.get(OutgoingMessage, message_id)
    assert message.status == "failed" and message.attempts == outbox.MAX_ATTEMPTS
    page = admin_client.get("/manage/e/test-forum/outbox").get_data(as_text=True)
    assert "failed" in page and "Send again" in page
    token = __import__("re").search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = admin_client.post(f"/manage/e/test-forum/outbox/{message_id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutgoingMessage, message_id).status == "sent"
    assert len(server.received) == 1


def test_attachments_are_rendered_at_send_time_by_registered_renderers(client, smtp):
    server = smtp()
    calls = []

    @outbox.register_attachment_renderer("test-ticket")
    def render(message, spec):
        calls.append(message.registration_id)
        return b"%PDF-1.4 fake"

    def provider(registration, kind):
        if kind == "confirmed":
            return [{"filename": "ticket.pdf", "mime": "application/pdf", "kind": "test-ticket"}]
        return []

    outbox.register_attachment_provider(provider)
    try:
        open_event()
        register(client, email="asel@example.kz")
    finally:
        outbox.ATTACHMENT_PROVIDERS.remove(provider)
        del outbox.ATTACHMENT_RENDERERS["test-ticket"]
    [received] = server.received
    # (the real ticket, tickets.ticket_mail, is attached too)
    [attachment] = [a for a in received.iter_attachments() if a.get_filename() == "ticket.pdf"]
    assert attachment.get_filename() == "ticket.pdf" and attachment.get_content() == b"%PDF-1.4 fake"
    assert calls == [registrations()[0].id]
