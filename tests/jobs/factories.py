"""A ceremony with many laureates and their certificates, made directly in the database (the
forms that make them are tested in tests/awards)."""

from __future__ import annotations

from datetime import datetime

from forumapp.awards import services
from forumapp.awards.models import Ceremony, CertificateDesign, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import ProgrammeItem
from tests.conftest import make_event

FIRST = ["Гүлмира", "Әсел", "Даулет", "Ержан", "Айгүл", "Нұрлан", "Мәдина", "Қайрат", "Ұлжан", "Іңкәр"]
LAST = ["Уақытова", "Нұрланқызы", "Бакберген", "Сәрсенбаев", "Оспанова", "Жұмабаев", "Қасымова", "Әбенов"]
PLACES = ["grand_prix", "first", "second", "third", "diploma"]


def many_certificates(count: int, per_nomination: int = 50):
    """`count` award certificates of one ceremony, numbered TF-2016-00001 onwards."""
    event = make_event()
    item = ProgrammeItem(event=event, kind="award_ceremony", status="published",
                         title={"kk": "Марапаттау салтанаты", "ru": "Церемония награждения"},
                         starts_at=datetime(2016, 6, 10, 11, 30), ends_at=datetime(2016, 6, 10, 12, 15))
    db.session.add(item)
    db.session.flush()
    ceremony = Ceremony(item_id=item.id)
    organisations = [Organisation(name={"kk": f"«Тоқыма-{n}» ЖШС", "ru": f"ТОО «Текстиль-{n}»"}) for n in range(20)]
    db.session.add_all([ceremony, *organisations])
    for n in range(-(-count // per_nomination)):
        nomination = Nomination(ceremony=ceremony, position=n,
                                title={"kk": f"Жылдың үздік өндірушісі №{n + 1}", "ru": f"Лучший производитель №{n + 1}"})
        db.session.add(nomination)
        for k in range(min(per_nomination, count - n * per_nomination)):
            i = n * per_nomination + k
            person = Person(name={"kk": f"{FIRST[i % 10]} {LAST[(i // 10) % 8]} {i}",
                                  "ru": f"{FIRST[i % 10]} {LAST[(i // 10) % 8]} {i}"})
            db.session.add(Laureate(nomination=nomination, person=person, organisation=organisations[i % 20],
                                    place=PLACES[k % 5], position=k,
                                    citation={"kk": "Саланы дамытуға қосқан үлесі үшін", "ru": "За вклад в отрасль"}))
    db.session.add(CertificateDesign(event=event, name="Қазақша + Русский", base="classic_landscape",
                                     languages="kk,ru", colours=dict(services.DEFAULT_COLOURS), texts={},
                                     signatories=[{"name": "Гүлмира Уақытова", "position": "Төраға"}]))
    db.session.commit()
    certificates = services.issue(event, "award")
    db.session.commit()
    return event, certificates
