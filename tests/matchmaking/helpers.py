"""Set up a forum with participants and fill in the matchmaking forms as a browser would."""

from __future__ import annotations

import re
from datetime import timedelta

from forumapp.extensions import db
from forumapp.matchmaking.models import Profile
from forumapp.registration import newcomers, services
from forumapp.registration.models import OutgoingMessage, ParticipantCategory
from tests.conftest import make_event
from tests.registration.helpers import FUTURE_START


def forum(slug="test-forum"):
    # Registration closes when an event ends: the forum of these tests is still to come.
    event = make_event(slug, starts_on=FUTURE_START, ends_on=FUTURE_START + timedelta(days=1))
    services.settings_for(event)
    db.session.commit()
    return event


def participant(event, name, email, *, locale="ru", item_ids=()):
    category = db.session.scalar(db.select(ParticipantCategory).filter_by(event_id=event.id, code="delegate"))
    registration, _ = newcomers.register(event, services.Applicant(
        full_name=name, email=email, consent=True, category_id=category.id, locale=locale, item_ids=list(item_ids)))
    return registration


def page_token(client, path) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def b2b(registration) -> str:
    return f"/e/{registration.event.slug}/r/{registration.token}/b2b"


def opt_in(client, registration, organisation, *, offers=(), seeks=(), kind="producer", **extra):
    """offers/seeks: [(category, text)]."""
    data = {"csrf_token": page_token(client, b2b(registration) + "/profile"), "organisation": organisation,
            "kind": kind, "languages": extra.pop("languages", [registration.locale]), **extra}
    for name, rows in (("offers", offers), ("seeks", seeks)):
        for i, (category, text) in enumerate(rows):
            data[f"{name}-{i}-category"] = category
            data[f"{name}-{i}-text"] = text
    response = client.post(b2b(registration) + "/profile", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalar(db.select(Profile).filter_by(registration_id=registration.id))


def request_meeting(client, requester, recipient_profile, message="Let us talk"):
    path = f"{b2b(requester)}/p/{recipient_profile.id}"
    return client.post(path, data={"csrf_token": page_token(client, b2b(requester) + "/profile"), "message": message})


def answer(client, registration, request_id, value="accept"):
    return client.post(f"{b2b(registration)}/requests/{request_id}",
                       data={"csrf_token": page_token(client, b2b(registration)), "answer": value})


def messages(kind=None, to=None):
    db.session.expire_all()
    query = db.select(OutgoingMessage).order_by(OutgoingMessage.id)
    if kind:
        query = query.filter_by(kind=f"b2b_{kind}")
    if to:
        query = query.filter_by(to=to)
    return list(db.session.scalars(query))
