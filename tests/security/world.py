"""One event with one of everything (items, registrations, certificates, nominations,
collections, partners, people...), the people who act on it, and the URL arguments that name
its objects: what the access matrix walks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from forumapp.accounts.models import CHECKIN_STAFF, ORGANISER, EventRole, User
from forumapp.awards import jobs
from forumapp.awards import services as awards
from forumapp.awards.models import Laureate, Nomination, PrintJob
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Hall, ItemPerson, Track
from forumapp.registration import newcomers
from forumapp.registration import services as registration
from forumapp.registration.models import ItemSignup, OutgoingMessage, ParticipantCategory, Question
from forumapp.shows.models import CollectionImage
from forumapp.sponsors.models import Sponsor, SponsorTier
from forumapp.storage import get_storage
from tests.conftest import make_event, make_item, make_user
from tests.matchmaking.factories import matchmaking_world
from tests.shows.helpers import make_collection, make_show

PASSWORD = "correct horse battery"


@dataclass
class World:
    slug: str
    ids: dict[str, int | str] = field(default_factory=dict)
    token: str = ""  # the participant's private link
    users: dict[str, str] = field(default_factory=dict)  # actor -> e-mail
    storage_keys: list = field(default_factory=list)


def build_world() -> World:
    # Registration closes when the event ends (by default): the world's event is still to come.
    event = make_event("test-forum", starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10))
    other = make_event("other-forum", code="OF-2016")
    world = World(slug=event.slug)

    hall = Hall(event_id=event.id, name={"en": "Main hall"})
    track = Track(event_id=event.id, name={"en": "Exports"})
    brand = Organisation(name={"kk": "«Жасампаз» консорциумы", "en": "Zhasampaz"}, kind="fashion_house")
    db.session.add_all([hall, track, brand])
    db.session.commit()
    person = Person(name={"kk": "Гүлмира Уақытова", "en": "Gulmira Uakhitova"}, organisation=brand,
                    email="gulmira@example.kz")
    db.session.add(person)
    db.session.commit()

    plenary = make_item(event, "Пленарное заседание", takes_signups=True, capacity=50, hall_id=hall.id,
                        track_id=track.id)
    speaker = ItemPerson(item_id=plenary.id, person_id=person.id, role="speaker")
    db.session.add(speaker)

    ceremony_item = make_item(event, "Церемония награждения", start="16:30", end="17:15", kind="award_ceremony")
    ceremony = awards.ceremony_for(ceremony_item)
    ceremony.results_published = True
    nomination = Nomination(ceremony_id=ceremony.id, title={"ru": "Коллекция года"})
    db.session.add(nomination)
    db.session.flush()
    laureate = Laureate(nomination_id=nomination.id, person_id=person.id, organisation_id=brand.id, place="first")
    db.session.add(laureate)
    design = awards.design_for(event)
    db.session.add(design)
    db.session.commit()
    [certificate] = awards.issue(event, "award")
    result = f"{jobs.PRINTS_PREFIX}matrix-{uuid.uuid4().hex}.pdf"  # a printed batch in the shared storage
    get_storage().save(result, b"%PDF-1.4\n%%EOF\n")
    world.storage_keys.append(result)
    job = PrintJob(event_id=event.id, scope=f"ceremony:{ceremony.id}", fingerprint="0" * 64, status="done",
                   done=1, total=1, result_path=result)
    badge_job = PrintJob(event_id=event.id, kind="badges", scope="badges:a6", fingerprint="2" * 64, status="done",
                         done=1, total=1, result_path=result, options={"badge": {"layout": "a6"}})
    db.session.add_all([job, badge_job])

    show_item = make_item(event, "Показ коллекций", start="18:00", end="19:00", kind="collection_show")
    collection = make_collection(event, brand, {"en": "Almaty Evening"}, designers=[person])
    image = CollectionImage(collection_id=collection.id, path="photos/none.jpg", width=10, height=10)
    db.session.add(image)
    show = make_show(show_item, [(collection, None)])

    tier = SponsorTier(event_id=event.id, name={"en": "Official partner"})
    db.session.add(tier)
    db.session.flush()
    sponsor = Sponsor(event_id=event.id, tier_id=tier.id, organisation_id=brand.id)
    db.session.add(sponsor)

    registration.settings_for(event)
    registration.settings_for(other)  # made on first visit otherwise: a write by a legitimate reader
    question = Question(event_id=event.id, kind="text", label={"en": "Diet"})
    db.session.add(question)
    db.session.commit()
    category = db.session.scalar(db.select(ParticipantCategory).filter_by(event_id=event.id, code="delegate"))
    applicant = registration.Applicant(full_name="Әсел Нұрланқызы", email="asel@example.kz", consent=True,
                                       category_id=category.id, locale="kk", item_ids=[plenary.id])
    participant, _ = newcomers.register(event, applicant)
    world.token = participant.token
    participant.checked_in_at = participant.created_at  # came, so gets a certificate of participation
    db.session.commit()
    [own_certificate] = awards.issue(event, "participation")
    signup = db.session.scalar(db.select(ItemSignup).filter_by(registration_id=participant.id))
    message = db.session.scalar(db.select(OutgoingMessage).filter_by(registration_id=participant.id))

    for actor, email in {
        "organiser": "organiser@test-forum.kz",
        "checkin_staff": "desk@test-forum.kz",
        "other_organiser": "organiser@other-forum.kz",
        "admin": "admin@example.kz",
    }.items():
        world.users[actor] = email
        make_user(email, PASSWORD, admin=actor == "admin")
    roles = {}
    for actor, target, role in (("organiser", event, ORGANISER), ("checkin_staff", event, CHECKIN_STAFF),
                                ("other_organiser", other, ORGANISER)):
        user_id = db.session.scalar(db.select(User.id).filter_by(email=world.users[actor]))
        roles[actor] = EventRole(user_id=user_id, event_id=target.id, role=role)
        db.session.add(roles[actor])
    db.session.commit()
    from forumapp.api import tokens

    organiser = db.session.get(User, roles["organiser"].user_id)
    api_token = tokens.create_token(event, organiser, "Badge printer", "read_write").token
    from forumapp.api.models import WebhookEndpoint

    # Switched off: the walk's registration actions must not post anywhere.
    endpoint = WebhookEndpoint(event_id=event.id, url="https://crm.example.kz/hook", secret="whsec_x",
                               kinds=["registration.created"], active=False)
    db.session.add(endpoint)
    db.session.commit()

    world.ids = {
        "hall": hall.id, "track": track.id, "category": category.id, "item_person": speaker.id,
        "plenary": plenary.id, "ceremony_item": ceremony_item.id, "show_item": show_item.id,
        "nomination_id": nomination.id, "laureate_id": laureate.id, "design_id": design.id,
        "certificate_id": certificate.id, "own_certificate": own_certificate.id, "code": certificate.code,
        "job_id": job.id, "badge_job_id": badge_job.id,
        "collection_id": collection.id, "image_id": image.id, "segment_id": show.segments[0].id,
        "tier_id": tier.id, "sponsor_id": sponsor.id, "question_id": question.id,
        "registration": participant.id, "signup_id": signup.id, "message_id": message.id,
        # The check-in staff's role: removing it (the team page) is the organiser's last act.
        "role_id": roles["checkin_staff"].id,
        "person_id": person.id, "organisation_id": brand.id, "token_id": api_token.id, "endpoint_id": endpoint.id,
    }
    world.ids.update(matchmaking_world(event, participant, category.id))
    return world
