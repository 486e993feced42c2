"""Background print jobs: the browser starts a batch, a worker prints it, the page polls progress.

A PrintJob row holds what to print (certificate ids, design, base address), status, progress
and the worker's lease. `find_or_start` (in the request) reuses a job printing or having printed
the same fingerprint, and otherwise creates one and enqueues `print_job` (a Celery task, or a
thread of the web process without a broker; forumapp.jobs). The task claims the job with a lease
it renews while printing (a heartbeat thread, and every progress step); a job whose lease
expired lost its worker (killed, host gone) and is claimed and printed again, by the message
delivered again (acks_late), by `requeue_stale` (beat), or by the next `find_or_start`, so no
job is left "running". The PDF goes to the shared storage under prints/ (atomic writes), so any
host can serve the download; `clean_old_prints` removes results after PRINTS_MAX_AGE_DAYS.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from forumapp.awards.models import Certificate, PrintJob, PrintJobKind, PrintJobStatus
from forumapp.awards.printing import prepare, print_prepared
from forumapp.awards.rendering import DesignError
from forumapp.awards.services import design_for, fingerprint
from forumapp.extensions import db
from forumapp.jobs import TryAgain, background_task, enqueue, periodic
from forumapp.programme.models import Event
from forumapp.storage import get_storage
from forumapp.timeutil import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # a batch whose worker died this often (out of memory?) is failed, with a reason
PRINTS_PREFIX = "prints/"
Status = PrintJobStatus


def lease() -> timedelta:
    return timedelta(seconds=float(current_app.config.get("PRINT_LEASE_SECONDS", 60)))


def result_key(job: PrintJob) -> str:
    return f"{PRINTS_PREFIX}{job.event_id}-{job.fingerprint[:32]}-{job.pdf_variant.replace('/', '') or 'pdf'}.pdf"


def is_stale(job: PrintJob) -> bool:
    """Queued or running, and nobody has renewed its lease in time: its worker is gone."""
    return (job.status in (Status.QUEUED, Status.RUNNING) and job.lease_expires_at is not None
            and job.lease_expires_at < utcnow())


# ---- in the request ------------------------------------------------------------------------


def find_or_start(event_id: int, scope: str, prepared: tuple, pdf_variant: str, *,
                  certificates: list[Certificate], design_id: int | None, base_url: str) -> PrintJob:
    html_source, css_source, data, rows, _warnings = prepared
    key = fingerprint(html_source, css_source, data, rows, pdf_variant)
    return start_or_reuse(event_id, key, scope=scope, pdf_variant=pdf_variant, total=len(rows),
                          certificate_ids=[c.id for c in certificates], design_id=design_id, base_url=base_url)


def start_or_reuse(event_id: int, key: str, **fields) -> PrintJob:
    """The job printing or having printed the batch whose fingerprint is `key`, else a new job
    (with `fields`) sent to a worker."""
    job = db.session.scalar(
        db.select(PrintJob)
        .filter_by(event_id=event_id, fingerprint=key)
        .where(PrintJob.status.in_((Status.QUEUED, Status.RUNNING, Status.DONE)))
        .order_by(PrintJob.id.desc())
    )
    if job is not None and job.status == Status.DONE and job.result_path and get_storage().exists(job.result_path):
        return job  # printed already: reuse the PDF
    if job is not None and job.status != Status.DONE and (job.certificate_ids or job.options):
        if is_stale(job):
            restart(job)
        return job  # the same data is being printed
    job = PrintJob(event_id=event_id, fingerprint=key, status=Status.QUEUED,
                   lease_expires_at=utcnow() + _queue_grace(), **fields)
    db.session.add(job)
    db.session.commit()
    enqueue(print_job, job.id)
    db.session.refresh(job)
    return job


def _queue_grace() -> timedelta:
    """How long a queued job may wait for a worker before it is sent again (a lost message)."""
    return timedelta(seconds=float(current_app.config.get("PRINT_QUEUE_GRACE_SECONDS", 600)))


def restart(job: PrintJob) -> None:
    """Send a job whose worker vanished to a worker again (the claim decides who prints it)."""
    log.warning("print job %s lost its worker %r; printing it again", job.id, job.worker)
    job.status, job.done, job.lease_expires_at = Status.QUEUED, 0, utcnow() + _queue_grace()
    db.session.commit()
    enqueue(print_job, job.id)
    db.session.refresh(job)


# ---- in the worker -------------------------------------------------------------------------


def _claim(job_id: int, me: str) -> PrintJob | None:
    """Take the job if it is queued, or running with an expired lease (its worker died)."""
    now = utcnow()
    claimable = db.or_(PrintJob.status == Status.QUEUED,
                       db.and_(PrintJob.status == Status.RUNNING, PrintJob.lease_expires_at < now))
    taken = db.session.execute(
        db.update(PrintJob)
        .where(PrintJob.id == job_id, claimable)
        .values(status=Status.RUNNING, lease_expires_at=now + lease(), worker=me, done=0,
                attempts=PrintJob.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(PrintJob, job_id) if taken else None


class _Heartbeat:
    """Renews the lease every third of its length while the job prints, from its own thread and
    connection (a chunk may take longer than the lease). Stops renewing when the process dies,
    which is the point."""

    def __init__(self, app, job_id: int, me: str):
        self.app, self.job_id, self.me = app, job_id, me
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"print-job-{job_id}-lease", daemon=True)

    def _run(self):
        with self.app.app_context():
            interval = lease().total_seconds() / 3
            while not self.stop.wait(interval):
                renew(self.job_id, self.me)
            db.session.remove()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def renew(job_id: int, me: str, done: int | None = None) -> None:
    values = {"lease_expires_at": utcnow() + lease()}
    if done is not None:
        values["done"] = done
    db.session.execute(
        db.update(PrintJob).where(PrintJob.id == job_id, PrintJob.worker == me, PrintJob.status == Status.RUNNING)
        .values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def _finish(job_id: int, me: str, **values) -> bool:
    """Record the outcome, unless the lease was lost meanwhile (another worker prints it now)."""
    values = {"finished_at": utcnow(), "lease_expires_at": None, **values}
    finished = db.session.execute(
        db.update(PrintJob).where(PrintJob.id == job_id, PrintJob.worker == me, PrintJob.status == Status.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return bool(finished)


def _render(job: PrintJob, progress):
    """The job's PDF and its number of pages (certificates) or badges."""
    if job.kind == PrintJobKind.BADGES:
        from forumapp.registration.badge_jobs import render_job

        return render_job(job, progress)
    # Certificates: the batch as the request prepared it, prepared again from the rows (in the
    # job's order).
    event = db.session.get(Event, job.event_id)
    found = {c.id: c for c in db.session.scalars(db.select(Certificate).where(Certificate.id.in_(job.certificate_ids)))}
    certificates = [found[i] for i in job.certificate_ids if i in found]
    design = design_for(event, job.design_id) if job.design_id else design_for(event)
    html_source, css_source, data, rows, _warnings = prepare(event, certificates, design, job.base_url)
    rendered = print_prepared(html_source, css_source, data, rows, pdf_variant=job.pdf_variant or None,
                              progress=progress)
    return rendered, len(rows)


@background_task("forumapp.awards.print_job")
def print_job(job_id: int) -> None:
    """Print a job's batch into the storage. Idempotent: a done job, or one another live worker
    holds, is left alone (the latter is checked again when its lease would end)."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    job = _claim(job_id, me)
    if job is None:
        job = db.session.get(PrintJob, job_id)
        if job is not None and job.status == Status.RUNNING and job.lease_expires_at:
            raise TryAgain((job.lease_expires_at - utcnow()).total_seconds() + 1, "another worker holds the lease")
        return
    if job.attempts > MAX_ATTEMPTS:
        _finish(job_id, me, status=Status.FAILED,
                error=_("The worker printing this batch stopped %(n)s times; print it again.", n=job.attempts - 1))
        return
    app = current_app._get_current_object()
    try:
        with _Heartbeat(app, job_id, me):
            rendered, total = _render(job, lambda done: renew(job_id, me, done))
            key = result_key(job)
            get_storage().save(key, rendered.data, content_type="application/pdf")
    except DesignError as error:  # the design itself fails: printing again would fail again
        db.session.rollback()
        _finish(job_id, me, status=Status.FAILED, error=str(error)[:2000])
        return
    except Exception as error:  # the database, the storage, a render process: try again later
        log.exception("print job %s failed (attempt %s)", job_id, job.attempts)
        db.session.rollback()
        if job.attempts >= MAX_ATTEMPTS:
            _finish(job_id, me, status=Status.FAILED, error=str(error)[:2000])
            return
        wait = 10 * 2 ** job.attempts
        # Queued again, saying why (a full disk, the storage away), until an attempt succeeds.
        _finish(job_id, me, status=Status.QUEUED, finished_at=None, error=str(error)[:2000])
        # Not "stale" before the retry is due, or the sweep would send it a second time.
        db.session.execute(db.update(PrintJob).where(PrintJob.id == job_id).values(
            lease_expires_at=utcnow() + timedelta(seconds=wait) + _queue_grace()))
        db.session.commit()
        raise TryAgain(wait, str(error)) from error
    _finish(job_id, me, status=Status.DONE, done=total, total=total, result_path=key,
            refused_urls=rendered.refused_urls, error="")


@periodic("forumapp.awards.requeue_stale_prints", "PRINT_SWEEP_SECONDS", 30)
def requeue_stale() -> int:
    """Jobs whose lease expired (their worker is gone) are printed again; jobs from before print
    jobs kept their inputs cannot be, and are failed with a reason."""
    now = utcnow()
    stale = list(db.session.scalars(db.select(PrintJob).where(
        PrintJob.status.in_((Status.QUEUED, Status.RUNNING)),
        db.or_(PrintJob.lease_expires_at < now, PrintJob.lease_expires_at.is_(None)))))
    for job in stale:
        if not job.certificate_ids and not job.options:
            job.status, job.error, job.finished_at = Status.FAILED, _("Interrupted; print the batch again."), now
            db.session.commit()
        else:
            restart(job)
    return len(stale)


@periodic("forumapp.awards.clean_old_prints", "PRINTS_CLEAN_SECONDS", 3600)
def clean_old_prints() -> int:
    """Remove printed PDFs older than PRINTS_MAX_AGE_DAYS (their jobs print again when asked)."""
    cutoff = utcnow() - timedelta(days=float(current_app.config.get("PRINTS_MAX_AGE_DAYS", 7)))
    storage = get_storage()
    removed = 0
    for stored in storage.list(PRINTS_PREFIX):
        if stored.modified.replace(tzinfo=None) < cutoff:
            storage.delete(stored.key)
            removed += 1
    return removed
