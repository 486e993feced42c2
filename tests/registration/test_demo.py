"""The demo forum comes with registration set up, items taking sign-ups and a few participants.
The demo event took place in 2016: its registration is closed, as for any event that is over."""

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
    assert "Форум туралы қайдан білдіңіз?" in [q.label["kk"] for q in services.questions(event)]
    page = client.get(f"/e/{event.slug}/register?lang=en").get_data(as_text=True)
    assert "Registration is closed." in page and 'name="full_name"' not in page
    assert services.settings_for(event).closes_at is None  # closed by the default: the event is over
