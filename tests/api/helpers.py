"""An event with something of every kind the API serves, some of it public and some not, two
API tokens, and a check of real answers against the OpenAPI document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from openapi_schema_validator import OAS31Validator

from forumapp.accounts.models import ORGANISER, EventRole
from forumapp.api import tokens
from forumapp.api.openapi import document
from forumapp.awards import services as awards
from forumapp.awards.models import Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Hall, ItemPerson, Track
from forumapp.registration import newcomers
from forumapp.registration import services as registration
from forumapp.sponsors.models import Sponsor, SponsorTier
from forumapp.timeutil import utcnow
from tests.conftest import make_event, make_item, make_user
from tests.shows.helpers import make_collection

ORGANISER_EMAIL = "organiser@test-forum.kz"
PASSWORD = "correct horse battery"


@dataclass
class ApiWorld:
    slug: str = "test-forum"
    ids: dict = field(default_factory=dict)
    read_token: str = ""
    write_token: str = ""
    other_token: str = ""  # a token of another event
    codes: dict = field(default_factory=dict)  # registration name -> ticket code


def build_api_world() -> ApiWorld:
    world = ApiWorld()
    event = make_event("test-forum")
    draft_event = make_event("draft-forum", status="draft", code="DF-2016")
    other = make_event("other-forum", code="OF-2016")

    hall = Hall(event_id=event.id, name={"ru": "Большой зал", "en": "Main hall"}, capacity=300)
    track = Track(event_id=event.id, name={"en": "Exports"})
    brand = Organisation(name={"kk": "«Жасампаз» консорциумы", "en": "Zhasampaz"}, kind="fashion_house",
                         website="https://zhasampaz.kz")
    db.session.add_all([hall, track, brand])
    db.session.commit()
    speaker = Person(name={"kk": "Гүлмира Уақытова", "en": "Gulmira Uakhitova"}, organisation=brand,
                     email="gulmira@example.kz", phone="+7 701 000 00 00", notes="prefers tea")
    hidden = Person(name={"en": "Only in a draft"}, email="draft@example.kz")
    db.session.add_all([speaker, hidden])
    db.session.commit()

    plenary = make_item(event, "Пленарное заседание", hall_id=hall.id, track_id=track.id, door_checkin=True,
                        takes_signups=True, capacity=10)
    draft = make_item(event, "Черновик", start="12:00", end="13:00", status="draft")
    withdrawn = make_item(event, "Отменено", start="14:00", end="15:00")
    withdrawn.status = "cancelled"  # after it was published: still in the feeds, marked cancelled
    never = make_item(event, "Не объявлено", start="15:00", end="15:30", status="cancelled")
    db.session.add_all([ItemPerson(item_id=plenary.id, person_id=speaker.id, role="speaker"),
                        ItemPerson(item_id=draft.id, person_id=hidden.id, role="moderator")])
    make_item(draft_event, "В черновике события")

    ceremony_item = make_item(event, "Церемония награждения", start="16:30", end="17:15", kind="award_ceremony")
    ceremony = awards.ceremony_for(ceremony_item)
    ceremony.results_published = True
    nomination = Nomination(ceremony_id=ceremony.id, title={"ru": "Коллекция года"})
    db.session.add(nomination)
    db.session.flush()
    db.session.add(Laureate(nomination_id=nomination.id, person_id=speaker.id, organisation_id=brand.id,
                            place="first", citation={"en": "For the collection"}))
    secret_item = make_item(event, "Закрытая церемония", start="17:30", end="18:00", kind="award_ceremony")
    secret = awards.ceremony_for(secret_item)  # results not published
    db.session.add(Nomination(ceremony_id=secret.id, title={"ru": "Тайная номинация"}))
    db.session.commit()

    collection = make_collection(event, brand, {"en": "Almaty Evening"}, designers=[speaker], season="autumn_winter",
                                 year=2016)
    tier = SponsorTier(event_id=event.id, name={"en": "Official partner"})
    db.session.add(tier)
    db.session.flush()
    db.session.add(Sponsor(event_id=event.id, tier_id=tier.id, organisation_id=brand.id))
    db.session.commit()

    settings = registration.settings_for(event)
    settings.capacity = 2
    # The (2016) event's organisers keep registration open past its end (by default it closes
    # when the event ends).
    settings.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    registration.settings_for(other)
    people = {}
    for name, email in (("Әсел Нұрланқызы", "asel@example.kz"), ("Иван Петров", "ivan@example.kz"),
                        ("Dana Waiting", "dana@example.kz")):
        applicant = registration.Applicant(full_name=name, email=email, consent=True, locale="kk",
                                           organisation_name="Qazaq Textile", item_ids=[plenary.id])
        people[name], _ = newcomers.register(event, applicant)
    from forumapp.registration.tickets import ticket_code

    world.codes = {name: ticket_code(r) for name, r in people.items()}

    organiser = make_user(ORGANISER_EMAIL, PASSWORD)
    other_organiser = make_user("organiser@other-forum.kz", PASSWORD)
    db.session.add_all([EventRole(user_id=organiser.id, event_id=event.id, role=ORGANISER),
                        EventRole(user_id=other_organiser.id, event_id=other.id, role=ORGANISER)])
    db.session.commit()
    world.read_token = tokens.create_token(event, organiser, "CRM", "read").secret
    world.write_token = tokens.create_token(event, organiser, "Badge printer", "read_write").secret
    world.other_token = tokens.create_token(other, other_organiser, "Other", "read_write").secret

    world.ids = {
        "event": event.id, "hall": hall.id, "track": track.id, "brand": brand.id, "speaker": speaker.id,
        "hidden": hidden.id, "plenary": plenary.id, "draft": draft.id, "withdrawn": withdrawn.id, "never": never.id,
        "ceremony_item": ceremony_item.id, "secret_item": secret_item.id, "collection": collection.id,
        "organiser": organiser.id, "other_organiser": other_organiser.id,
        **{name: r.id for name, r in people.items()},
    }
    return world


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def conforms(response, path: str, method: str = "get") -> dict:
    """The answer's body, after checking it against the document's schema for its status."""
    spec = document()
    operation = spec["paths"][path][method]
    answer = operation["responses"][str(response.status_code)]
    schema = answer["content"]["application/json"]["schema"]
    body = response.get_json()
    OAS31Validator({**schema, "components": spec["components"]}).validate(body)
    return body
