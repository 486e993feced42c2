"""What deleting a person or an organisation of the shared directory takes with it, and when it
is refused (see programme/deletion.py for the pattern). Laureates must be kept (results and
certificates name them), and a brand's collections would go with the brand: both are refused."""

from __future__ import annotations

from flask_babel import ngettext
from sqlalchemy import func

from forumapp.awards.models import Laureate
from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.programme.deletion import DeletionCheck
from forumapp.programme.models import ItemPerson
from forumapp.shows.models import Collection, CollectionDesigner
from forumapp.sponsors.models import Sponsor


def _count(query) -> int:
    return db.session.scalar(query) or 0


def check_person(person: Person) -> DeletionCheck:
    check = DeletionCheck()
    laureate = _count(db.select(func.count(Laureate.id)).where(Laureate.person_id == person.id))
    if laureate:
        check.refusals.append(
            ngettext("This person is a laureate in %(num)d nomination: award results and certificates name them.",
                     "This person is a laureate in %(num)d nominations: award results and certificates name them.",
                     laureate)
        )
    roles = _count(db.select(func.count(ItemPerson.id)).where(ItemPerson.person_id == person.id))
    if roles:
        check.consequences.append(
            ngettext("They lose their part in %(num)d programme item.", "They lose their part in %(num)d programme items.",
                     roles)
        )
    designs = _count(db.select(func.count(CollectionDesigner.id)).where(CollectionDesigner.person_id == person.id))
    if designs:
        check.consequences.append(
            ngettext("%(num)d collection loses this designer.", "%(num)d collections lose this designer.", designs)
        )
    presents = _count(db.select(func.count(Laureate.id)).where(Laureate.presenter_id == person.id))
    if presents:
        check.consequences.append(
            ngettext("%(num)d award loses its presenter.", "%(num)d awards lose their presenter.", presents)
        )
    return check


def check_organisation(organisation: Organisation) -> DeletionCheck:
    check = DeletionCheck()
    laureate = _count(db.select(func.count(Laureate.id)).where(Laureate.organisation_id == organisation.id))
    if laureate:
        check.refusals.append(
            ngettext("This organisation is a laureate in %(num)d nomination: award results and certificates name it.",
                     "This organisation is a laureate in %(num)d nominations: award results and certificates name it.",
                     laureate)
        )
    collections = _count(db.select(func.count(Collection.id)).where(Collection.brand_id == organisation.id))
    if collections:
        check.refusals.append(
            ngettext("%(num)d collection is shown under this brand and would be lost with it.",
                     "%(num)d collections are shown under this brand and would be lost with it.", collections)
        )
    partners = _count(db.select(func.count(Sponsor.id)).where(Sponsor.organisation_id == organisation.id))
    if partners:
        check.consequences.append(
            ngettext("It stops being a partner of %(num)d event.", "It stops being a partner of %(num)d events.", partners)
        )
    people = _count(db.select(func.count(Person.id)).where(Person.organisation_id == organisation.id))
    if people:
        check.consequences.append(
            ngettext("%(num)d person will be shown without an organisation.",
                     "%(num)d people will be shown without an organisation.", people)
        )
    members = _count(db.select(func.count(Organisation.id)).where(Organisation.parent_id == organisation.id))
    if members:
        check.consequences.append(
            ngettext("%(num)d member organisation is no longer a member.",
                     "%(num)d member organisations are no longer members.", members)
        )
    return check


def remove_person_dependants(person: Person) -> None:
    for model in (ItemPerson, CollectionDesigner):
        for row in db.session.scalars(db.select(model).where(model.person_id == person.id)):
            db.session.delete(row)
    for laureate in db.session.scalars(db.select(Laureate).where(Laureate.presenter_id == person.id)):
        laureate.presenter_id = None


def remove_organisation_dependants(organisation: Organisation) -> None:
    for sponsor in db.session.scalars(db.select(Sponsor).where(Sponsor.organisation_id == organisation.id)):
        db.session.delete(sponsor)
    for person in db.session.scalars(db.select(Person).where(Person.organisation_id == organisation.id)):
        person.organisation_id = None
    for member in db.session.scalars(db.select(Organisation).where(Organisation.parent_id == organisation.id)):
        member.parent_id = None
