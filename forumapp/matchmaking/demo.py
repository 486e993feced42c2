"""Demo B2B meetings: profiles drawn from the organisations of the source articles (the Zhasampaz
consortium bidding together for uniforms and supplying fabric to Uzbekistan and Belarus, NCE
"Atameken"'s industrial cooperation, school-uniform procurement), a session of tables in the
foyer, requests (most accepted), a run of the scheduler and a published schedule. Volumes,
people not named in the articles and the buyers' offices are invented. Safe to run again."""

from __future__ import annotations

from datetime import datetime, time

from forumapp.extensions import db
from forumapp.matchmaking import planning
from forumapp.matchmaking.models import (
    MatchSession,
    Meeting,
    MeetingRequest,
    Profile,
    ProfileEntry,
    RequestStatus,
)
from forumapp.programme.models import Hall
from forumapp.registration import services
from forumapp.registration.demo import register_for_demo
from forumapp.registration.models import ParticipantCategory, Registration
from forumapp.timeutil import to_utc, utcnow

# e-mail: (name, locale, organisation, kind, regions, languages, offers, seeks); an existing demo
# registration with that e-mail is used as it is.
PROFILES = {
    "asel.demo@example.kz": (
        "Әсел Нұрланқызы", "kk", "«Жасампаз» консорциумы", "consortium", ["Алматы", "Түркістан облысы"], ["kk", "ru"],
        [("school_uniform", "44 кәсіпорын бірлесіп мектеп формасына тапсырыс алады", "жылына 50 000 жиынтық"),
         ("workwear", "Күш құрылымдары мен жер қойнауын пайдаланушыларға арналған форма", ""),
         ("fabrics", "Қазақ мақтасынан дөрекі мата (бязь)", "")],
        [("export", "Өзбекстан мен Беларусь сатып алушылары", ""),
         ("public_procurement", "Ұлттық компаниялардың тапсырыстары", "")]),
    "erzhan.demo@example.kz": (
        "Ержан Сәрсенбаев", "kk", "«Қазақ текстилі» ЖШС", "producer", ["Шымкент"], ["kk", "ru"],
        [("fabrics", "Мақта маталары", "айына 200 000 м")],
        [("equipment", "Тоқыма станоктарын жаңарту", ""), ("investment", "Өндірісті кеңейту", "")]),
    "dmitry.demo@example.kz": (
        "Дмитрий Ким", "ru", "Союз лёгкой промышленности", "association", ["Караганда"], ["ru"],
        [("contract_manufacturing", "Швейные цеха членов союза", "30 цехов")],
        [("school_uniform", "Заказы на школьную форму для членов союза", "")]),
    "atameken.demo@example.kz": (
        "Нұрлан Әбенов", "kk", "НПП РК «Атамекен»", "association", ["Астана", "Казахстан"], ["kk", "ru", "en"],
        [("public_procurement", "Программа промышленной кооперации: отечественные поставщики для закупок", "")],
        [("contract_manufacturing", "Отечественные швейные предприятия для кооперации", ""),
         ("school_uniform", "Производители школьной формы (7% доля рынка в 37 млрд тенге)", "")]),
    "akimat.demo@example.kz": (
        "Сәуле Төлегенова", "kk", "Алматы қаласы білім басқармасы (сатып алу)", "buyer", ["Алматы"], ["kk", "ru"],
        [],
        [("school_uniform", "Мектеп формасы, отандық өндіріс", "жылына 120 000 жиынтық")]),
    "workwear.buyer.demo@example.kz": (
        "Андрей Соколов", "ru", "Служба закупок недропользователя (пример)", "buyer", ["Атырау"], ["ru", "en"],
        [],
        [("workwear", "Спецодежда и средства защиты", "15 000 комплектов"),
         ("leather_footwear", "Защитная обувь", "15 000 пар")]),
    "kaznex.demo@example.kz": (
        "Айгерим Жұмабаева", "ru", "АО «KAZNEX INVEST»", "government", ["Астана"], ["kk", "ru", "en"],
        [("export", "Поддержка экспорта: миссии, выставки, возмещение затрат", "")],
        [("fabrics", "Экспортоспособные производители тканей", "")]),
    "damu.demo@example.kz": (
        "Руслан Ахметов", "ru", "Фонд «Даму»", "investor", ["Алматы", "Казахстан"], ["kk", "ru"],
        [("investment", "Льготные кредиты и гарантии для МСБ", "")],
        [("contract_manufacturing", "Проекты расширения швейных производств", "")]),
    "kazlegprom.demo@example.kz": (
        "Гүлнар Сейітова", "kk", "«Казлегпром»", "producer", ["Алматы"], ["kk", "ru"],
        [("workwear", "Арнайы киім", "айына 5 000 дана"), ("school_uniform", "Мектеп формасы", "")],
        [("fabrics", "Аралас маталар", "")]),
}
# (requester e-mail, recipient e-mail, message, answer: True accepted, False declined, None pending)
REQUESTS = [
    ("akimat.demo@example.kz", "asel.demo@example.kz", "Мектеп формасына 2018 жылғы тапсырыс туралы сөйлесейік.", True),
    ("asel.demo@example.kz", "kaznex.demo@example.kz", "Хотим обсудить поставки ткани в Узбекистан и Беларусь.", True),
    ("atameken.demo@example.kz", "dmitry.demo@example.kz", "Предлагаем участие в программе кооперации.", True),
    ("workwear.buyer.demo@example.kz", "kazlegprom.demo@example.kz", "Нужна спецодежда на 2018 год.", True),
    ("kazlegprom.demo@example.kz", "erzhan.demo@example.kz", "Маталарыңыздың бағасы қандай?", True),
    ("erzhan.demo@example.kz", "damu.demo@example.kz", "Станоктарды жаңартуға несие қажет.", True),
    ("akimat.demo@example.kz", "kazlegprom.demo@example.kz", "Мектеп формасы бойынша.", True),
    ("atameken.demo@example.kz", "asel.demo@example.kz", "Консорциумның қатысуы туралы.", True),
    ("workwear.buyer.demo@example.kz", "asel.demo@example.kz", "Спецодежда для наших месторождений.", None),
    ("dmitry.demo@example.kz", "akimat.demo@example.kz", "Школьная форма от членов союза.", False),
]


def _registration(event, email, name, locale, organisation, categories, settings):
    registration = db.session.scalar(db.select(Registration).filter_by(event_id=event.id, email=email))
    if registration is not None:
        return registration
    return register_for_demo(event, services.Applicant(
        full_name=name, email=email, consent=True, organisation_name=organisation, locale=locale,
        category_id=categories.get("delegate")), settings)


def load(event) -> None:
    if db.session.scalar(db.select(MatchSession.id).filter_by(event_id=event.id)) is not None:
        return
    settings = services.settings_for(event)
    categories = {c.code: c.id for c in db.session.scalars(db.select(ParticipantCategory).filter_by(event_id=event.id))}
    profiles = {}
    for email, (name, locale, organisation, kind, regions, languages, offers, seeks) in PROFILES.items():
        registration = _registration(event, email, name, locale, organisation, categories, settings)
        profile = db.session.scalar(db.select(Profile).filter_by(registration_id=registration.id))
        if profile is None:
            entries = [ProfileEntry(direction="offer", category=c, text=t, volume=v) for c, t, v in offers]
            entries += [ProfileEntry(direction="seek", category=c, text=t, volume=v) for c, t, v in seeks]
            profile = Profile(event_id=event.id, registration_id=registration.id, organisation=organisation,
                              kind=kind, regions=regions, languages=languages, entries=entries, approved_at=utcnow())
            db.session.add(profile)
        profiles[email] = profile
    db.session.flush()
    foyer = db.session.scalar(db.select(Hall).where(Hall.event_id == event.id, Hall.name["en"].as_string() == "Foyer"))
    day = event.starts_on
    db.session.add(MatchSession(
        event_id=event.id, hall_id=foyer.id if foyer else None,
        name={"kk": "B2B кездесулер", "ru": "B2B-встречи", "en": "B2B meetings"},
        starts_at=to_utc(datetime.combine(day, time(14, 0)), event.timezone),
        ends_at=to_utc(datetime.combine(day, time(17, 0)), event.timezone),
        slot_minutes=20, tables=8, breaks=[["15:20", "15:40"]]))
    now = utcnow()
    for requester, recipient, message, accepted in REQUESTS:
        status = {True: RequestStatus.ACCEPTED, False: RequestStatus.DECLINED, None: RequestStatus.PENDING}[accepted]
        request = MeetingRequest(event_id=event.id, requester=profiles[requester], recipient=profiles[recipient],
                                 message=message, status=status, created_at=now,
                                 answered_at=now if accepted is not None else None)
        db.session.add(request)
        if accepted:
            db.session.add(Meeting(event_id=event.id, request=request))
    db.session.commit()
    planning.run(event)
    planning.publish(event)
