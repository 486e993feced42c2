"""Webhooks: registrations created, confirmed and cancelled are posted, signed with the
endpoint's secret, to a real HTTP receiver; failures are logged and retried; unsafe addresses
are refused; the organisers' page adds and removes endpoints."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forumapp.accounts.models import User
from forumapp.api import webhooks
from forumapp.api.models import WebhookDelivery, WebhookEndpoint
from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration import newcomers
from forumapp.registration import services as registration
from forumapp.registration.models import Registration
from forumapp.timeutil import utcnow
from tests.api.helpers import ORGANISER_EMAIL, PASSWORD
from tests.conftest import csrf_token, login

ALL_KINDS = ["registration.created", "registration.confirmed", "registration.cancelled"]


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what it is sent and answers `status`."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/forumapp"

    def messages(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver(app):
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOKS_REQUIRE_HTTPS=False)
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=False, WEBHOOKS_REQUIRE_HTTPS=True)


def endpoint_for(world, receiver, kinds=ALL_KINDS) -> WebhookEndpoint:
    event = db.session.get(Event, world.ids["event"])
    return webhooks.create_endpoint(event, db.session.get(User, world.ids["organiser"]), receiver.url, kinds)


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does: recompute the signature over "<t>.<body>"."""
    fields = dict(part.split("=", 1) for part in headers[webhooks.SIGNATURE_HEADER].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_created_confirmed_and_cancelled_are_posted_signed(world, receiver):
    endpoint = endpoint_for(world, receiver)
    event = db.session.get(Event, world.ids["event"])
    registration.settings_for(event).capacity = None
    db.session.commit()
    made, _ = newcomers.register(event, registration.Applicant(full_name="Aigerim", email="aigerim@example.kz",
                                                                  consent=True))
    assert [m["type"] for m in receiver.messages()] == ["registration.created", "registration.confirmed"]
    message = receiver.messages()[0]
    assert message["event"] == {"id": event.id, "slug": "test-forum"}
    assert message["data"]["registration"]["email"] == "aigerim@example.kz"
    assert "token" not in message["data"]["registration"]
    for headers, body in receiver.requests:
        assert verify(endpoint.secret, headers, body)
        assert not verify("whsec_another", headers, body)
        assert headers["X-Forumapp-Event"] in ALL_KINDS and headers["Content-Type"] == "application/json"
    registration.cancel(db.session.get(Registration, made.id))  # (and the waiting Dana is promoted)
    after = [(m["type"], m["data"]["registration"]["full_name"]) for m in receiver.messages()[2:]]
    assert after == [("registration.cancelled", "Aigerim"), ("registration.confirmed", "Dana Waiting")]
    deliveries = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(d.status, d.attempts, d.last_status_code) for d in deliveries] == [("sent", 1, 200)] * 4


def test_promotion_from_the_waiting_list_is_a_confirmation(world, receiver):
    endpoint_for(world, receiver, ["registration.confirmed"])
    waiting = db.session.get(Registration, world.ids["Dana Waiting"])
    registration.cancel(db.session.get(Registration, world.ids["Иван Петров"]))  # frees a place
    assert [m["type"] for m in receiver.messages()] == ["registration.confirmed"]
    assert receiver.messages()[0]["data"]["registration"]["id"] == waiting.id


def test_a_failing_receiver_is_retried_then_given_up(world, receiver):
    endpoint_for(world, receiver)
    receiver.status = 500
    event = db.session.get(Event, world.ids["event"])
    newcomers.register(event, registration.Applicant(full_name="Bolat", email="bolat@example.kz", consent=True))
    created = db.session.scalar(db.select(WebhookDelivery).filter_by(kind="registration.created"))
    assert (created.status, created.attempts, created.last_error) == ("queued", 1, "HTTP 500")
    assert created.next_attempt_at > utcnow() + timedelta(seconds=20)  # backoff
    with pytest.raises(webhooks.TryAgain):  # not due yet: the task waits
        webhooks.deliver(created.id)
    for attempt in range(2, webhooks.MAX_ATTEMPTS + 1):
        db.session.get(WebhookDelivery, created.id).next_attempt_at = utcnow() - timedelta(minutes=2)
        db.session.commit()
        if attempt == 3:
            assert webhooks.sweep_webhooks() >= 1  # a lost task is found by the sweep (eager here)
            continue
        try:
            webhooks.deliver(created.id)
        except webhooks.TryAgain:
            pass
    db.session.expire_all()
    created = db.session.get(WebhookDelivery, created.id)
    assert created.status == "failed" and created.attempts == webhooks.MAX_ATTEMPTS
    receiver.status = 200
    assert webhooks.deliver(created.id) is None  # given up stays given up


def test_unsafe_addresses_are_refused(app, world):
    event = db.session.get(Event, world.ids["event"])
    user = db.session.get(User, world.ids["organiser"])
    for url in ("http://127.0.0.1:6379/", "https://169.254.169.254/latest/meta-data", "https://10.0.0.5/hook",
                "https://[::1]/hook", "ftp://example.com/x", "https://user:pw@example.com/", "https://localhost/x",
                "http://example.com/plain-http"):
        with pytest.raises(webhooks.UnsafeAddress):
            webhooks.create_endpoint(event, user, url, ALL_KINDS)
    assert db.session.scalar(db.select(db.func.count(WebhookEndpoint.id))) == 0


def test_an_address_that_turned_private_is_not_posted_to(app, world, receiver):
    endpoint = endpoint_for(world, receiver)
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False  # e.g. its DNS now points inside the network
    event = db.session.get(Event, world.ids["event"])
    newcomers.register(event, registration.Applicant(full_name="Chingiz", email="chingiz@example.kz",
                                                        consent=True))
    assert receiver.requests == []
    delivery = db.session.scalar(db.select(WebhookDelivery).filter_by(endpoint_id=endpoint.id).limit(1))
    assert delivery.status == "failed" and delivery.last_error.startswith("refused")


def test_organiser_adds_reads_and_removes_a_webhook(client, world, receiver, tmp_path):
    assert login(client, ORGANISER_EMAIL, PASSWORD).status_code == 302
    url = "/manage/e/test-forum/webhooks"
    token = csrf_token(client, url)
    added = client.post(url, data={"csrf_token": token, "url": receiver.url, "kinds": ALL_KINDS})
    html = added.get_data(as_text=True)
    secret = re.search(r'id="new-secret" type="text" readonly value="(whsec_[^"]+)"', html).group(1)
    endpoint = db.session.scalar(db.select(WebhookEndpoint))
    assert endpoint.secret == secret and endpoint.kinds == ALL_KINDS
    event = db.session.get(Event, world.ids["event"])
    newcomers.register(event, registration.Applicant(full_name="Dias", email="dias@example.kz", consent=True))
    page = client.get(url).get_data(as_text=True)
    assert secret not in page and receiver.url in page and "delivered" in page
    app_config = client.application.config
    app_config["WEBHOOKS_ALLOW_PRIVATE"] = False
    refused = client.post(url, data={"csrf_token": token, "url": "http://127.0.0.1:9/x", "kinds": ALL_KINDS})
    assert 'class="error"' in refused.get_data(as_text=True)
    from tests.quality.test_html_validity import _validate

    errors = _validate({"added": html, "log": page, "refused": refused.get_data(as_text=True)}, tmp_path)
    assert not errors, "\n".join(errors)
    client.post(f"{url}/{endpoint.id}/remove", data={"csrf_token": token})
    assert db.session.scalar(db.select(db.func.count(WebhookEndpoint.id))) == 0
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0


def test_a_registration_that_is_rolled_back_sends_nothing(world, receiver):
    endpoint_for(world, receiver, ["registration.created"])
    event = db.session.get(Event, world.ids["event"])
    with pytest.raises(registration.DuplicateEmail):  # the e-mail is taken: the insert never commits
        newcomers.register(event, registration.Applicant(full_name="Again", email="asel@example.kz",
                                                            consent=True))
    # Flushed (the delivery row is written with it), then rolled back: both go, nothing is sent.
    db.session.add(Registration(event_id=event.id, full_name="Flushed", email="flushed@example.kz",
                                consent_at=utcnow(), status="confirmed"))
    db.session.flush()
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 1
    db.session.rollback()
    assert receiver.requests == []
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0
