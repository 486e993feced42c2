"""Small helpers for registration tests: set an event up and fill in the form as a browser would."""

from __future__ import annotations

import re
from datetime import date, timedelta

from forumapp.extensions import db
from forumapp.registration import services
from forumapp.registration.models import Registration
from tests.conftest import make_event

# Registration closes when the event ends unless the organisers say otherwise: an event that
# takes registrations in a test is one that has not happened yet.
FUTURE_START = date(2036, 6, 9)


def open_event(capacity=None, *, approval=False, slug="test-forum", **fields):
    fields.setdefault("starts_on", FUTURE_START)
    fields.setdefault("ends_on", FUTURE_START + timedelta(days=1))
    fields.setdefault("code", "TF-2036")
    event = make_event(slug, **fields)
    settings = services.settings_for(event)
    settings.capacity = capacity
    settings.requires_approval = approval
    db.session.commit()
    return event


def form_fields(client, path="/e/test-forum/register") -> dict:
    """The hidden fields (CSRF token, nonce) and the first category, as the page has them."""
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    fields = {"csrf_token": token}
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', html)
    if nonce:
        fields["nonce"] = nonce.group(1)
    category = re.search(r'<option[^>]*value="(\d+)"', html)
    if category:
        fields["category"] = category.group(1)
    return fields


def registration_data(client, name="Әсел Нұрланқызы", email="asel@example.kz", **extra) -> dict:
    data = {
        **form_fields(client),
        "full_name": name,
        "email": email,
        "phone": "+7 701 123 45 67",
        "organisation_name": "Қазақстан жеңіл өнеркәсіп қауымдастығы",
        "position": "Директор",
        "city": "Алматы",
        "locale": "kk",
        "consent": "y",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def register(client, name="Әсел Нұрланқызы", email="asel@example.kz", **extra):
    return client.post("/e/test-forum/register", data=registration_data(client, name, email, **extra))


def registrations() -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Registration).order_by(Registration.id)))
