"""Awards rules that know nothing of the request: ceremonies, who receives a certificate,
issuing, numbering, revoking and reissuing."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forumapp.awards.models import Ceremony, Certificate, CertificateDesign, Laureate, Nomination
from forumapp.extensions import db
from forumapp.i18n import LANGUAGES
from forumapp.lookups import of_event_or_404
from forumapp.programme.models import Event, ItemPerson, ProgrammeItem
from forumapp.timeutil import utcnow

# ---- ceremonies ---------------------------------------------------------------------------


def ceremony_items(event: Event) -> list[ProgrammeItem]:
    return [item for item in event.items if item.kind == "award_ceremony"]


def ceremony_for(item: ProgrammeItem) -> Ceremony:
    """The ceremony record of an award-ceremony item, created on first use."""
    ceremony = db.session.scalar(db.select(Ceremony).filter_by(item_id=item.id))
    if ceremony is None:
        ceremony = Ceremony(item_id=item.id)
        db.session.add(ceremony)
        db.session.flush()
    return ceremony


def ceremony_of_event_or_404(event: Event, item_id: int) -> Ceremony:
    return ceremony_for(of_event_or_404(ProgrammeItem, item_id, event, kind="award_ceremony"))


def load_ceremony(ceremony_id: int) -> Ceremony:
    return db.session.scalar(
        db.select(Ceremony)
        .filter_by(id=ceremony_id)
        .options(
            selectinload(Ceremony.nominations).selectinload(Nomination.laureates).selectinload(Laureate.person),
            selectinload(Ceremony.nominations).selectinload(Nomination.laureates).selectinload(Laureate.organisation),
            selectinload(Ceremony.nominations).selectinload(Nomination.laureates).selectinload(Laureate.presenter),
        )
    )


def running_order(ceremony: Ceremony) -> list[dict]:
    """Who is called, for what, who presents, in order."""
    steps = []
    for n_index, nomination in enumerate(ceremony.nominations, start=1):
        for laureate in nomination.laureates:
            steps.append({"nomination_number": n_index, "nomination": nomination, "laureate": laureate})
    return steps


# ---- who receives a certificate: pluggable sources -----------------------------------------
# A source is a function(event, scope) -> list of plain dicts with the keys of RECIPIENT_KEYS.
# "scope" narrows it down (e.g. {"ceremony_id": 3}). The lead adds "checked-in participants"
# (registration) and "sponsors" (shows) here on merge: register_source("participation", fn).

RECIPIENT_KEYS = ("source", "name", "organisation", "reason", "place", "citation", "sort_key", "laureate_id")
SOURCES: dict[str, list[Callable[[Event, dict], list[dict]]]] = {"award": [], "participation": [], "thanks": []}


def register_source(kind: str, function: Callable[[Event, dict], list[dict]]) -> None:
    if function not in SOURCES[kind]:
        SOURCES[kind].append(function)


def _names(model) -> dict:
    return dict(model.name or {}) if model is not None else {}


def laureate_recipients(event: Event, scope: dict) -> list[dict]:
    """Laureates of the event's ceremonies, in ceremony order."""
    recipients = []
    for c_index, item in enumerate(ceremony_items(event)):
        if scope.get("ceremony_item_id") and item.id != scope["ceremony_item_id"]:
            continue
        ceremony = ceremony_for(item)
        for nomination in ceremony.nominations:
            if scope.get("nomination_id") and nomination.id != scope["nomination_id"]:
                continue
            for laureate in nomination.laureates:
                recipients.append({
                    "source": f"laureate:{laureate.id}",
                    "name": _names(laureate.person) or _names(laureate.organisation),
                    "organisation": _names(laureate.organisation) if laureate.person else {},
                    "reason": dict(nomination.title or {}),
                    "place": laureate.place,
                    "citation": dict(laureate.citation or {}),
                    "sort_key": f"{c_index:03d}.{nomination.position:04d}.{nomination.id:06d}."
                                f"{laureate.position:04d}.{laureate.id:06d}",
                    "laureate_id": laureate.id,
                })
    return recipients


THANKED_ROLES = ("speaker", "moderator")


def programme_thanks_recipients(event: Event, scope: dict) -> list[dict]:
    """Speakers and moderators of published items: a letter of thanks per part they played."""
    recipients = []
    parts = db.session.scalars(
        db.select(ItemPerson)
        .join(ProgrammeItem)
        .where(ProgrammeItem.event_id == event.id, ProgrammeItem.status == "published",
               ItemPerson.role.in_(THANKED_ROLES))
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.id, ItemPerson.position, ItemPerson.id)
    ).all()
    for n, part in enumerate(parts):
        recipients.append({
            "source": f"item_person:{part.id}",
            "name": _names(part.person),
            "organisation": _names(part.person.organisation),
            "reason": dict(part.item.title or {}),
            "place": None,
            "citation": {},
            "sort_key": f"{n:06d}",
            "laureate_id": None,
        })
    return recipients


def sponsor_thanks_recipients(event: Event, scope: dict) -> list[dict]:
    """Partners of the event, by tier: a letter of thanks to each organisation."""
    from forumapp.sponsors.services import event_tiers

    recipients = []
    for tier in event_tiers(event):
        for sponsor in tier.sponsors:
            recipients.append({
                "source": f"sponsor:{sponsor.id}",
                "name": _names(sponsor.organisation),
                "organisation": {},
                "reason": dict(tier.name or {}),
                "place": None,
                "citation": {},
                "sort_key": f"S{tier.position:04d}.{tier.id:06d}.{sponsor.position:04d}.{sponsor.id:06d}",
                "laureate_id": None,
            })
    return recipients


register_source("award", laureate_recipients)
register_source("thanks", programme_thanks_recipients)
register_source("thanks", sponsor_thanks_recipients)


def recipients(event: Event, kind: str, scope: dict | None = None) -> list[dict]:
    return [r for source in SOURCES[kind] for r in source(event, scope or {})]


# ---- issuing --------------------------------------------------------------------------------


def number_prefix(event: Event) -> str:
    return event.code or event.slug.upper()


def _next_serial(event: Event) -> int:
    return (db.session.scalar(db.select(func.max(Certificate.serial)).filter_by(event_id=event.id)) or 0) + 1


def _new_certificate(event: Event, kind: str, recipient: dict, serial: int) -> Certificate:
    return Certificate(
        event_id=event.id, serial=serial, number=f"{number_prefix(event)}-{serial:05d}",
        code=secrets.token_urlsafe(16), kind=kind,
        **{key: recipient[key] for key in RECIPIENT_KEYS},
    )


def issue(event: Event, kind: str, scope: dict | None = None) -> list[Certificate]:
    """A certificate for every recipient who has no valid one of this kind yet. One transaction;
    if another request issued numbers at the same time, the unique serial makes this retry."""
    for _attempt in range(3):
        have = set(db.session.scalars(
            db.select(Certificate.source).filter_by(event_id=event.id, kind=kind, status="valid")
        ))
        serial = _next_serial(event)
        created = []
        for recipient in recipients(event, kind, scope):
            if recipient["source"] in have:
                continue
            created.append(_new_certificate(event, kind, recipient, serial))
            serial += 1
        db.session.add_all(created)
        try:
            db.session.commit()
            return created
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not number the certificates; try again")


def revoke(certificate: Certificate) -> None:
    if certificate.status == "valid":
        certificate.status = "revoked"
        certificate.revoked_at = utcnow()
    db.session.commit()


def reissue(certificate: Certificate) -> Certificate:
    """Revoke and issue again under a new number, with the recipient's current details."""
    event = certificate.event
    current = next((r for r in recipients(event, certificate.kind) if r["source"] == certificate.source), None)
    data = current or {key: getattr(certificate, key) for key in RECIPIENT_KEYS}
    for _attempt in range(3):
        replacement = _new_certificate(event, certificate.kind, data, _next_serial(event))
        db.session.add(replacement)
        certificate.status = "revoked"
        certificate.revoked_at = certificate.revoked_at or utcnow()
        try:
            db.session.flush()
            certificate.replaced_by_id = replacement.id
            db.session.commit()
            return replacement
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not number the certificate; try again")


def certificates_for(event: Event, *, kind: str | None = None, ceremony_item_id: int | None = None,
                     nomination_id: int | None = None, valid_only: bool = True) -> list[Certificate]:
    """Certificates in print order: ceremony order for awards, then by number."""
    query = db.select(Certificate).filter_by(event_id=event.id)
    if kind:
        query = query.filter_by(kind=kind)
    if valid_only:
        query = query.filter_by(status="valid")
    if ceremony_item_id or nomination_id:
        wanted = {r["source"] for r in laureate_recipients(
            event, {"ceremony_item_id": ceremony_item_id, "nomination_id": nomination_id})}
        query = query.where(Certificate.source.in_(wanted or {""}))
    return list(db.session.scalars(query.order_by(Certificate.kind, Certificate.sort_key, Certificate.serial)))


def certificate_by_code(code: str) -> Certificate | None:
    if not code or len(code) > 40:
        return None
    return db.session.scalar(db.select(Certificate).filter_by(code=code))


# ---- designs --------------------------------------------------------------------------------

DEFAULT_COLOURS = {"primary": "#8a3b12", "accent": "#b08d57", "text": "#1d2433", "paper": "#fbf7ef"}


def design_for(event: Event, design_id: int | None = None) -> CertificateDesign:
    """The chosen design, else the event's first, else a new built-in one (not yet saved)."""
    design = of_event_or_404(CertificateDesign, design_id, event) if design_id else None
    design = design or db.session.scalar(
        db.select(CertificateDesign).filter_by(event_id=event.id).order_by(CertificateDesign.id))
    return design or CertificateDesign(event_id=event.id, name="Classic", base="classic_landscape",
                                       languages="kk,ru", colours=dict(DEFAULT_COLOURS), texts={}, signatories=[])


def design_languages(design: CertificateDesign) -> list[str]:
    languages = [code for code in (design.languages or "").split(",") if code in LANGUAGES]
    return languages[:2] or ["ru"]


def fingerprint(*parts) -> str:
    """A hash of everything a print depends on; the same hash means the same PDF."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def certificates_of_registration(registration) -> list[Certificate]:
    """The valid certificates issued to a registered participant (their private page lists them
    for download). A certificate of participation names its registration in `source`."""
    return list(db.session.scalars(
        db.select(Certificate)
        .filter_by(event_id=registration.event_id, source=f"registration:{registration.id}", status="valid")
        .order_by(Certificate.issued_at, Certificate.id)
    ))
