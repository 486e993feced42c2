"""Small factories for the ticket, badge and check-in tests."""

from __future__ import annotations

import re

from forumapp.accounts.models import EventRole
from forumapp.extensions import db
from forumapp.registration.models import ItemSignup, ParticipantCategory, Registration
from forumapp.timeutil import utcnow
from tests.conftest import login, make_user


def make_category(event, en="Delegate", ru="Делегат", kk="Делегат", position=0):
    category = ParticipantCategory(event_id=event.id, name={"en": en, "ru": ru, "kk": kk}, position=position)
    db.session.add(category)
    db.session.commit()
    return category


def make_registration(event, full_name="Әсел Нұрланқызы", *, status="confirmed", organisation="ТОО «Жібек жолы»",
                      category=None, email=None, **fields):
    registration = Registration(
        event_id=event.id,
        full_name=full_name,
        email=email or f"p{db.session.query(Registration).count() + 1}@example.kz",
        organisation_name=organisation,
        category_id=category.id if category else None,
        status=status,
        consent_at=utcnow(),
        **fields,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def sign_up(registration, item, status="confirmed"):
    signup = ItemSignup(registration_id=registration.id, item_id=item.id, status=status)
    db.session.add(signup)
    db.session.commit()
    return signup


def staff_client(client, event, role="checkin_staff", email="door@example.kz"):
    user = make_user(email)
    db.session.add(EventRole(user_id=user.id, event_id=event.id, role=role))
    db.session.commit()
    client.get("/?lang=en")
    assert login(client, email).status_code == 302
    return client


def page_csrf(client, path):
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, path
    return match.group(1)


def scan(client, slug, code, *, item=None, as_json=True):
    token = page_csrf(client, f"/manage/e/{slug}/checkin")
    data = {"code": code}
    if item is not None:
        data["item"] = str(item.id)
    headers = {"X-CSRFToken": token}
    if as_json:
        headers["Accept"] = "application/json"
    else:
        data["csrf_token"] = token
    return client.post(f"/manage/e/{slug}/checkin", data=data, headers=headers)
