"""Demo awards for the demo forum's award ceremony.

The source article says only that "the ceremony of awarding the industry leaders" was held at
the forum. The nominations below, who won them, their places and citations, and who presents
each award are INVENTED for the demo from the article's facts (school-uniform procurement, the
Zhasampaz consortium, the collection show of Kazlegprom, MIMIORIKI, Semiramide, Aigul & Line,
ZIBROO, industrial cooperation with NCE "Atameken").
"""

from __future__ import annotations

from forumapp.awards import services
from forumapp.awards.models import Ceremony, CertificateDesign, Laureate, Nomination
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.models import Event

INVENTED = {"kk": " (демо үшін ойдан алынған)", "ru": " (придумано для демо)", "en": " (invented for the demo)"}

# nomination title, [(person English name or None, organisation English name or None, place, citation)]
NOMINATIONS = [
    ({"kk": "Мектеп формасының үздік отандық өндірушісі", "ru": "Лучший отечественный производитель школьной формы",
      "en": "Best domestic producer of school uniforms"},
     [(None, "Kazlegprom", "grand_prix",
       {"kk": "Мектеп формасы нарығындағы отандық өндірушілер үлесін арттырғаны үшін",
        "ru": "За увеличение доли отечественных производителей на рынке школьной формы",
        "en": "For raising domestic producers' share of the school-uniform market"}),
      (None, "Semiramide", "second", {})]),
    ({"kk": "Өнеркәсіптік кооперацияның көшбасшысы", "ru": "Лидер промышленной кооперации",
      "en": "Leader of industrial cooperation"},
     [("Gulmira Uakhitova", "Zhasampaz consortium", "first",
       {"kk": "44 кәсіпорынның күшін біріктіргені үшін", "ru": "За объединение усилий 44 предприятий",
        "en": "For uniting the efforts of 44 enterprises"})]),
    ({"kk": "Жыл коллекциясы: балалар киімі", "ru": "Коллекция года: детская одежда",
      "en": "Collection of the year: children's wear"},
     [(None, "MIMIORIKI", "first", {}), (None, "Aigul & Line", "third", {}), (None, "ZIBROO", "diploma", {})]),
]


def _by_english(model, name):
    if name is None:
        return None
    return next((m for m in db.session.scalars(db.select(model)) if (m.name or {}).get("en") == name), None)


def load(event: Event) -> None:
    item = next((i for i in event.items if i.kind == "award_ceremony"), None)
    if item is None:
        return
    ceremony = db.session.scalar(db.select(Ceremony).filter_by(item_id=item.id)) or Ceremony(item_id=item.id)
    db.session.add(ceremony)
    db.session.flush()
    presenter = _by_english(Person, "Daulet Bakbergen")
    for position, (title, laureates) in enumerate(NOMINATIONS):
        description = {code: text.strip(" ()").capitalize() for code, text in INVENTED.items()}
        nomination = next((n for n in ceremony.nominations if n.title.get("en") == title["en"]), None)
        if nomination is None:
            nomination = Nomination(ceremony=ceremony, title=title)
            db.session.add(nomination)
        nomination.position, nomination.description = position, description
        for n, (person_name, organisation_name, place, citation) in enumerate(laureates):
            person, organisation = _by_english(Person, person_name), _by_english(Organisation, organisation_name)
            if person is None and organisation is None:
                continue
            laureate = next((la for la in nomination.laureates
                             if la.person_id == (person and person.id)
                             and la.organisation_id == (organisation and organisation.id)), None)
            if laureate is None:
                laureate = Laureate(nomination=nomination, person=person, organisation=organisation)
                db.session.add(laureate)
            laureate.place, laureate.citation, laureate.position = place, citation, n
            laureate.presenter = presenter
    ceremony.results_published = True
    design = db.session.scalar(db.select(CertificateDesign).filter_by(event_id=event.id, name="Қазақша + Русский"))
    if design is None:
        design = CertificateDesign(event_id=event.id, name="Қазақша + Русский", base="classic_landscape",
                                   languages="kk,ru", colours=dict(services.DEFAULT_COLOURS), texts={},
                                   signatories=[{"name": "Гүлмира Уақытова", "position": "Төраға / Председатель",
                                                 "signature": ""}])
        db.session.add(design)
        db.session.flush()
    ceremony.design_id = design.id
    db.session.commit()
    # Letters of thanks are left to the organiser: partners are loaded after this area, so
    # issuing them here would add letters on the next load.
    services.issue(event, "award")



