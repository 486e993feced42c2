"""The organisers' certificates list (search, filters, pages) and a print job's time left."""

from __future__ import annotations

from dataclasses import dataclass

from forumapp.awards.models import CERTIFICATE_KINDS, CERTIFICATE_STATUSES, Certificate, PrintJob
from forumapp.awards.services import certificates_for
from forumapp.programme.models import Event, ProgrammeItem
from forumapp.timeutil import utcnow

PAGE_SIZE = 50


@dataclass(frozen=True)
class CertificateFilter:
    q: str = ""
    kind: str = ""
    status: str = ""  # "valid", "revoked" or "" for both
    ceremony: int = 0  # a ceremony's programme item id
    page: int = 1

    @classmethod
    def from_args(cls, args, ceremonies: list[ProgrammeItem]) -> CertificateFilter:
        """Values that are not offered are ignored: a hand-edited address lists everything."""
        def number(name: str, default: int) -> int:
            try:
                return int(args.get(name, default))
            except ValueError:
                return default

        kind, status = args.get("kind", ""), args.get("status", "")
        ceremony = number("ceremony", 0)
        return cls(
            q=args.get("q", "").strip()[:100],
            kind=kind if kind in CERTIFICATE_KINDS else "",
            status=status if status in CERTIFICATE_STATUSES else "",
            ceremony=ceremony if ceremony in {item.id for item in ceremonies} else 0,
            page=max(1, min(number("page", 1), 100_000)),
        )

    def args(self, **changed) -> dict:
        values = {"q": self.q, "kind": self.kind, "status": self.status, "ceremony": self.ceremony or "",
                  "page": self.page, **changed}
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


def _matches(certificate: Certificate, needle: str) -> bool:
    texts = [certificate.number, *(certificate.name or {}).values(), *(certificate.organisation or {}).values(),
             *(certificate.reason or {}).values()]
    return any(needle in str(text).casefold() for text in texts)


def certificate_page(event: Event, wanted: CertificateFilter) -> tuple[list[Certificate], bool, int]:
    """One page of the certificates that match, in print order; whether more follow; how many."""
    found = certificates_for(event, kind=wanted.kind or None, ceremony_item_id=wanted.ceremony or None,
                             valid_only=False)
    if wanted.status:
        found = [c for c in found if c.status == wanted.status]
    if wanted.q:
        needle = wanted.q.casefold()
        found = [c for c in found if _matches(c, needle)]
    start = (wanted.page - 1) * PAGE_SIZE
    return found[start:start + PAGE_SIZE], len(found) > start + PAGE_SIZE, len(found)


def seconds_left(job: PrintJob) -> int | None:
    """From the pages printed so far and the time since the job started: None until there is a
    first page to measure by (and once the job has ended)."""
    if job.status != "running" or not job.done or not job.total:
        return None
    elapsed = max((utcnow() - job.created_at).total_seconds(), 0.0)
    return round(elapsed / job.done * (job.total - job.done))
