"""Award ceremonies (nominations and laureates), certificate designs, issued certificates and
background print jobs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forumapp.directory.models import Organisation, Person
from forumapp.extensions import db
from forumapp.i18n import pick
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.timeutil import utcnow

PLACES = ("grand_prix", "first", "second", "third", "diploma")
CERTIFICATE_KINDS = ("award", "participation", "thanks")
CERTIFICATE_STATUSES = ("valid", "revoked")


class PrintJobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker (or for its lease to be taken again)
    RUNNING = "running"  # a worker holds the lease and renews it while it prints
    DONE = "done"
    FAILED = "failed"


JOB_STATUSES = tuple(status.value for status in PrintJobStatus)


class PrintJobKind(StrEnum):
    CERTIFICATES = "certificates"  # forumapp.awards.printing
    BADGES = "badges"  # forumapp.registration.badge_jobs


JOB_KINDS = tuple(kind.value for kind in PrintJobKind)


class Ceremony(db.Model):
    """The awards side of a programme item of kind "award_ceremony"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), unique=True)
    results_published: Mapped[bool] = mapped_column(default=False)
    design_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_design.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    item: Mapped[ProgrammeItem] = relationship()
    design: Mapped[CertificateDesign | None] = relationship()
    nominations: Mapped[list[Nomination]] = relationship(
        back_populates="ceremony", cascade="all, delete-orphan", order_by="(Nomination.position, Nomination.id)"
    )


class Nomination(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremony.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    ceremony: Mapped[Ceremony] = relationship(back_populates="nominations")
    laureates: Mapped[list[Laureate]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan", order_by="(Laureate.position, Laureate.id)"
    )

    @property
    def display_title(self) -> str:
        return pick(self.title)


class Laureate(db.Model):
    """A person, an organisation, or a person on behalf of an organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    place: Mapped[str] = mapped_column(String(20), default="diploma")
    citation: Mapped[dict] = mapped_column(JSON, default=dict)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    nomination: Mapped[Nomination] = relationship(back_populates="laureates")
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship()
    presenter: Mapped[Person | None] = relationship(foreign_keys=[presenter_id])

    __table_args__ = (
        CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL", name="someone"),
        CheckConstraint(f"place IN {PLACES!r}", name="known_place"),
    )

    @property
    def display_name(self) -> str:
        if self.person and self.organisation:
            return f"{self.person.display_name} ({self.organisation.display_name})"
        return (self.person or self.organisation).display_name


class CertificateDesign(db.Model):
    """A built-in design customised by the organiser, or their own HTML/CSS (sandboxed)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    base: Mapped[str] = mapped_column(String(40), default="classic_landscape")
    languages: Mapped[str] = mapped_column(String(20), default="ru")  # e.g. "kk,ru": side by side
    texts: Mapped[dict] = mapped_column(JSON, default=dict)  # {"award": {"kk":..}, "intro_award": {..}, ...}
    colours: Mapped[dict] = mapped_column(JSON, default=dict)  # primary, accent, text, paper
    logo: Mapped[str | None] = mapped_column(String(300))  # path under the media directory
    background: Mapped[str | None] = mapped_column(String(300))
    signatories: Mapped[list] = mapped_column(JSON, default=list)  # [{name, position, signature}]
    custom_html: Mapped[str | None] = mapped_column(Text)
    custom_css: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The result of the check made when the design was last saved (forumapp.awards.design_check):
    # the design page shows it instead of rendering the design again on every view.
    checked_at: Mapped[datetime | None]
    check_error: Mapped[str | None] = mapped_column(Text)
    check_notes: Mapped[dict] = mapped_column(JSON, default=dict)  # {"warnings": [...], "refused": [...]}
    preview_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    event: Mapped[Event] = relationship()


class Certificate(db.Model):
    """An issued certificate. What it says is copied at issue time (recipient, reason), so a
    printed certificate and its verification page never disagree."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    serial: Mapped[int]
    number: Mapped[str] = mapped_column(String(60), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Where the recipient came from: "laureate:12", "item_person:5", later "registration:7".
    source: Mapped[str] = mapped_column(String(60))
    laureate_id: Mapped[int | None] = mapped_column(ForeignKey("laureate.id", ondelete="SET NULL"), index=True)
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    organisation: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[dict] = mapped_column(JSON, default=dict)  # nomination, or what they are thanked for
    place: Mapped[str | None] = mapped_column(String(20))
    citation: Mapped[dict] = mapped_column(JSON, default=dict)
    sort_key: Mapped[str] = mapped_column(String(60), default="")  # ceremony order
    status: Mapped[str] = mapped_column(String(20), default="valid")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    laureate: Mapped[Laureate | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "serial", name="serial_once"),
        CheckConstraint(f"kind IN {CERTIFICATE_KINDS!r}", name="known_kind"),
        CheckConstraint(f"status IN {CERTIFICATE_STATUSES!r}", name="known_status"),
        CheckConstraint("serial > 0", name="serial_positive"),
        Index("ix_certificate_event_kind", "event_id", "kind", "status"),
    )

    @property
    def display_name(self) -> str:
        return pick(self.name)


class PrintJob(db.Model):
    """A batch of certificates or name badges printed in the background (forumapp.awards.jobs).
    What to print is kept here (certificate ids, design, base address; for badges the options
    and registration ids in `options`), so any worker can print it again; the PDF
    is kept in the shared storage under `result_path` and reused while the fingerprint (a hash of
    everything printed) stays the same. A running job's worker renews `lease_expires_at`; a job
    whose lease has expired lost its worker and is printed again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(80))  # "ceremony:3", "nomination:7", "kind:thanks"
    pdf_variant: Mapped[str] = mapped_column(String(20), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PrintJobStatus.QUEUED.value)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    result_path: Mapped[str | None] = mapped_column(String(300))  # storage key, "prints/..."
    refused_urls: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    certificate_ids: Mapped[list] = mapped_column(JSON, default=list)
    design_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_design.id", ondelete="SET NULL"))
    base_url: Mapped[str] = mapped_column(String(300), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    lease_expires_at: Mapped[datetime | None]
    worker: Mapped[str] = mapped_column(String(200), default="")  # who holds the lease: host:pid
    kind: Mapped[str] = mapped_column(String(20), default=PrintJobKind.CERTIFICATES.value)
    options: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUSES!r}", name="known_status"),
        CheckConstraint(f"kind IN {JOB_KINDS!r}", name="known_kind"),
        CheckConstraint("done >= 0 AND total >= 0", name="counts_positive"),
    )
