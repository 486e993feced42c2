"""Demo registration: open registration with categories, two questions, the round table with
Zhasampaz and the collection show taking sign-ups, and a few participants. Safe to run again."""

from __future__ import annotations

from datetime import timedelta

from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from forumapp.registration import newcomers, services
from forumapp.registration.models import ParticipantCategory, Question, Registration
from forumapp.timeutil import utcnow

QUESTIONS = [
    ("text", {"kk": "Тамақтануға қатысты ерекше талаптар", "ru": "Особые требования к питанию", "en": "Dietary needs"},
     [], False),
    ("single_choice", {"kk": "Форум туралы қайдан білдіңіз?", "ru": "Откуда вы узнали о форуме?",
                       "en": "How did you hear about the forum?"},
     [{"kk": "Баспасөзден", "ru": "Из прессы", "en": "Press"},
      {"kk": "Қауымдастықтан", "ru": "От ассоциации", "en": "The association"},
      {"kk": "Әріптестерден", "ru": "От коллег", "en": "Colleagues"}], False),
]

PARTICIPANTS = [
    ("Әсел Нұрланқызы", "asel.demo@example.kz", "kk", "delegate", "«Жасампаз» консорциумы", "Алматы"),
    ("Ержан Сәрсенбаев", "erzhan.demo@example.kz", "kk", "exhibitor", "«Қазақ текстилі» ЖШС", "Шымкент"),
    ("Ольга Иванова", "olga.demo@example.kz", "ru", "press", "Деловой Казахстан", "Алматы"),
    ("Мәдина Қасымова", "madina.demo@example.kz", "kk", "guest", "", "Астана"),
    ("Дмитрий Ким", "dmitry.demo@example.kz", "ru", "delegate", "Союз легкой промышленности", "Караганда"),
]


def load(event) -> None:
    settings = services.settings_for(event)
    if settings.capacity is None:
        settings.capacity = 300
    items = db.session.scalars(
        db.select(ProgrammeItem).filter_by(event_id=event.id).where(
            ProgrammeItem.kind.in_(("round_table", "collection_show", "workshop"))
        )
    ).all()
    for item in items:
        item.takes_signups = True
        if item.capacity is None:
            item.capacity = 40 if item.kind == "round_table" else 120
    if not services.questions(event):
        for position, (kind, label, choices, required) in enumerate(QUESTIONS):
            db.session.add(Question(event_id=event.id, kind=kind, label=label, choices=choices,
                                    required=required, position=position))
    db.session.commit()
    categories = {
        c.code: c.id for c in db.session.scalars(db.select(ParticipantCategory).filter_by(event_id=event.id))
    }
    item_ids = [item.id for item in items if item.status == "published"]
    for n, (name, email, locale, category, organisation, city) in enumerate(PARTICIPANTS):
        if db.session.scalar(db.select(Registration.id).filter_by(event_id=event.id, email=email)):
            continue
        applicant = services.Applicant(
            full_name=name, email=email, consent=True, organisation_name=organisation, city=city,
            category_id=categories.get(category), locale=locale, item_ids=item_ids[: 1 + n % 2],
        )
        register_for_demo(event, applicant, settings)


def register_for_demo(event, applicant: services.Applicant, settings=None):
    """newcomers.register for demo data, regardless of dates: registration of the (past) demo
    event is opened for the moment of filling in only, and closed again (by default at the
    event's end). Other areas' demo data (B2B) registers its participants the same way."""
    settings = settings or services.settings_for(event)
    was_open = settings.opens_at, settings.closes_at
    settings.opens_at, settings.closes_at = None, utcnow() + timedelta(hours=1)
    try:
        registration, _created = newcomers.register(event, applicant)
    finally:
        settings.opens_at, settings.closes_at = was_open
        db.session.commit()
    return registration
