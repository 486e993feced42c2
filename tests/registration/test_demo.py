"""The demo forum comes with open registration, items taking sign-ups and a few participants."""

from forumapp.demo.loader import load_demo
from forumapp.extensions import db
from forumapp.registration import services
from forumapp.registration.models import Registration


def test_demo_registration_is_loaded_and_safe_to_load_again(client):
    event = load_demo()
    load_demo()
    names = db.session.scalars(db.select(Registration.full_name).filter_by(event_id=event.id)).all()
    from forumapp.registration.demo import PARTICIPANTS

    # The registration demo's five, once each (the B2B demo adds its own participants).
    assert {p[0] for p in PARTICIPANTS} <= set(names) and len(names) == len(set(names))
    items = services.signup_items(event)
    assert any(item.kind == "round_table" for item in items) and any(item.kind == "collection_show" for item in items)
    page = client.get(f"/e/{event.slug}/register?lang=kk").get_data(as_text=True)
    assert "Форум туралы қайдан білдіңіз?" in page and "Жасампаз" in page
