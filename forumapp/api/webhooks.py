"""Webhooks: an organiser's endpoint is told when a registration is created, confirmed or
cancelled, with a POST signed by the endpoint's own secret.

Nothing in the registration area calls this module. A session hook sees, at flush time, the
registrations that were inserted or whose status changed, and inserts one WebhookDelivery row
per subscribed endpoint in the same transaction (so a notification exists exactly when the change
was committed, as with the e-mail outbox). After the commit each new row gets a background task
(forumapp.jobs) that posts it, retried with backoff up to MAX_ATTEMPTS; `sweep_webhooks` picks up
rows whose task was lost. The delivery rows are the log the organiser reads.

The body carries the registration as it is when the delivery is sent; `type` says what happened.
Signature (Stripe-like, so replays can be refused by age):

    X-Forumapp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_sqlalchemy.session import Session
from sqlalchemy import event as sa_event
from sqlalchemy import insert, inspect, select

from forumapp.api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookKind
from forumapp.extensions import db
from forumapp.jobs import TryAgain, background_task, enqueue, periodic
from forumapp.registration import services as registration_services
from forumapp.registration.models import Registration
from forumapp.timeutil import utcnow

MAX_ATTEMPTS = 6
BACKOFF = (30, 120, 600, 1800, 7200)  # seconds before attempts 2, 3, ...
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Forumapp-Signature"
_NEW = "forumapp.webhooks.new"
_ENDPOINTS = "forumapp.webhooks.endpoints"  # {event id: [(endpoint id, kinds)]} read ahead, this transaction


class UnsafeAddress(ValueError):
    """The endpoint's address is not one the server may post to."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def check_address(url: str) -> None:
    """Refuse what would turn the server into a proxy into its own network: anything but
    http(s), and hosts that resolve to loopback, private, link-local (cloud metadata) or other
    non-public addresses, unless WEBHOOKS_ALLOW_PRIVATE (tests, an intranet CRM) says so.
    Production wants https."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise UnsafeAddress("an http(s) address without credentials is needed")
    if parts.scheme != "https" and current_app.config.get("WEBHOOKS_REQUIRE_HTTPS", False):
        raise UnsafeAddress("https is needed")
    if current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError):
        raise UnsafeAddress("the host name does not resolve") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise UnsafeAddress("the host is not on the public internet")


# ---- queueing: in the transaction of the change ------------------------------------------------


def _kinds_of(registration: Registration, *, is_new: bool) -> list[str]:
    kinds = []
    if is_new:
        kinds.append(WebhookKind.REGISTRATION_CREATED.value)
        if registration.status == "confirmed":
            kinds.append(WebhookKind.REGISTRATION_CONFIRMED.value)
        return kinds
    history = inspect(registration).attrs.status.history
    if history.has_changes():
        if registration.status == "confirmed":
            kinds.append(WebhookKind.REGISTRATION_CONFIRMED.value)
        elif registration.status == "cancelled":
            kinds.append(WebhookKind.REGISTRATION_CANCELLED.value)
    return kinds


@sa_event.listens_for(Session, "after_flush")
def _queue_deliveries(session, _flush_context):
    changes = [(r, True) for r in session.new if isinstance(r, Registration)]
    changes += [(r, False) for r in session.dirty if isinstance(r, Registration)]
    happened = [(r, kind) for r, is_new in changes for kind in _kinds_of(r, is_new=is_new)]
    if not happened:
        return
    connection = session.connection()
    endpoints: dict[int, list] = session.info.get(_ENDPOINTS, {})
    now = utcnow()
    for registration, kind in happened:
        if registration.event_id not in endpoints:
            endpoints[registration.event_id] = _active_endpoints(connection, registration.event_id)
        for endpoint_id, kinds in endpoints[registration.event_id]:
            if kind in (kinds or ()):
                delivery_id = connection.execute(insert(WebhookDelivery).values(
                    endpoint_id=endpoint_id, registration_id=registration.id, kind=kind,
                    status=DeliveryStatus.QUEUED.value, attempts=0, last_error="", created_at=now,
                    next_attempt_at=now,
                )).inserted_primary_key[0]
                session.info.setdefault(_NEW, []).append(delivery_id)


def _active_endpoints(connection, event_id: int) -> list:
    return connection.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.kinds)
        .where(WebhookEndpoint.event_id == event_id, WebhookEndpoint.active.is_(True))
    ).all()


@registration_services.BEFORE_LOCK.append
def _read_endpoints_before_the_lock(event_id: int) -> None:
    """A registration reads the event's endpoints before it queues for the event's lock, so the
    query is not among the statements every other registration waits for. (An endpoint added
    meanwhile is told from the next registration on, as if it had been added a moment later.)"""
    session = db.session()
    session.info.setdefault(_ENDPOINTS, {})[event_id] = _active_endpoints(session.connection(), event_id)


@sa_event.listens_for(Session, "after_commit")
def _send_after_commit(session):
    session.info.pop(_ENDPOINTS, None)
    for delivery_id in session.info.pop(_NEW, []):
        enqueue(deliver, delivery_id)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_ENDPOINTS, None)
    session.info.pop(_NEW, None)


# ---- delivery: in the background ---------------------------------------------------------------


def payload(delivery: WebhookDelivery) -> dict:
    from forumapp.api import serializers

    registration = db.session.get(Registration, delivery.registration_id) if delivery.registration_id else None
    event = delivery.endpoint.event
    return {
        "id": delivery.id,
        "type": delivery.kind,
        "created_at": serializers.iso(delivery.created_at),
        "event": {"id": event.id, "slug": event.slug},
        "data": {"registration": serializers.registration(registration) if registration else None},
    }


@background_task("forumapp.api.deliver_webhook", max_retries=MAX_ATTEMPTS + 2)
def deliver(delivery_id: int) -> str | None:
    """Post one delivery if it is still due; on failure note why and when to try again."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.QUEUED.value:
        return None
    if delivery.next_attempt_at and delivery.next_attempt_at > utcnow() + timedelta(seconds=1):
        raise TryAgain((delivery.next_attempt_at - utcnow()).total_seconds())
    endpoint = delivery.endpoint
    body = json.dumps(payload(delivery), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "forumapp-webhooks/1",
               SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body), "X-Forumapp-Delivery": str(delivery.id),
               "X-Forumapp-Event": delivery.kind}
    delivery.attempts += 1
    try:
        if not endpoint.active:
            raise UnsafeAddress("the endpoint was switched off")
        check_address(endpoint.url)
        response = requests.post(endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS,
                                 allow_redirects=False)
        delivery.last_status_code = response.status_code
        ok = 200 <= response.status_code < 300
        delivery.last_error = "" if ok else f"HTTP {response.status_code}"
    except UnsafeAddress as refused:
        ok, delivery.last_error = False, f"refused: {refused}"
        delivery.attempts = MAX_ATTEMPTS  # no point in trying again
    except requests.RequestException as error:
        ok, delivery.last_error = False, type(error).__name__ + ": " + str(error)[:400]
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SENT.value, utcnow(), None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED.value, None
    else:
        wait = BACKOFF[min(delivery.attempts - 1, len(BACKOFF) - 1)]
        delivery.next_attempt_at = utcnow() + timedelta(seconds=wait)
    status = delivery.status
    db.session.commit()
    if status == DeliveryStatus.QUEUED.value:
        raise TryAgain(wait + 1, delivery.last_error)
    return status


@periodic("forumapp.api.sweep_webhooks", "WEBHOOK_SWEEP_SECONDS", 120)
def sweep_webhooks() -> int:
    """Enqueue deliveries that are due (their own task was lost, or the process restarted)."""
    due = db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == DeliveryStatus.QUEUED.value,
                                         WebhookDelivery.next_attempt_at <= utcnow() - timedelta(seconds=60))
        .limit(500)
    ).all()
    for delivery_id in due:
        enqueue(deliver, delivery_id)
    return len(due)


# ---- the organisers' endpoints ---------------------------------------------------------------


def create_endpoint(event, user, url: str, kinds: list[str]) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (UnsafeAddress if the address is refused). Commits."""
    url = url.strip()
    check_address(url)
    endpoint = WebhookEndpoint(event_id=event.id, created_by_id=user.id, url=url, secret=new_secret(),
                               kinds=[kind.value for kind in WebhookKind if kind.value in kinds])
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def endpoints_of(event) -> list[WebhookEndpoint]:
    return list(db.session.scalars(
        select(WebhookEndpoint).filter_by(event_id=event.id).order_by(WebhookEndpoint.id)
    ))


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 20) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        select(WebhookDelivery).filter_by(endpoint_id=endpoint.id).order_by(WebhookDelivery.id.desc()).limit(limit)
    ))


def remove_endpoint(endpoint: WebhookEndpoint) -> None:
    """The endpoint and its log go; deliveries not yet sent are not sent. Commits."""
    db.session.delete(endpoint)
    db.session.commit()
