"""Background print jobs: the browser starts a batch, then polls its progress.

The embedded default needs no extra service: a PrintJob row holds status and progress, a thread
pool runs the job in this process (the pages themselves are laid out by the process pool of
forumapp.documents.batch), and the PDF is kept under instance/prints/. A job is found again by
the fingerprint of everything it prints, so the same batch is not printed twice until the data
changes. With AWARDS_PRINT_SYNC set (tests), jobs run within the request.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import current_app

from forumapp.awards.models import PrintJob
from forumapp.awards.printing import print_prepared
from forumapp.awards.services import fingerprint
from forumapp.extensions import db
from forumapp.files import write_atomically
from forumapp.timeutil import utcnow

log = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-job")


def prints_dir() -> Path:
    path = Path(current_app.instance_path) / "prints"
    path.mkdir(parents=True, exist_ok=True)
    return path


def find_or_start(event_id: int, scope: str, prepared: tuple, pdf_variant: str) -> PrintJob:
    html_source, css_source, data, rows, _warnings = prepared
    key = fingerprint(html_source, css_source, data, rows, pdf_variant)
    job = db.session.scalar(
        db.select(PrintJob)
        .filter_by(event_id=event_id, fingerprint=key)
        .where(PrintJob.status.in_(("queued", "running", "done")))
        .order_by(PrintJob.id.desc())
    )
    if job is not None and (job.status != "done" or (job.result_path and (prints_dir() / job.result_path).is_file())):
        return job  # the same data is being printed, or was: reuse it
    job = PrintJob(event_id=event_id, scope=scope, pdf_variant=pdf_variant, fingerprint=key, total=len(rows))
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    if app.config.get("AWARDS_PRINT_SYNC"):
        run(app, job.id, prepared[:4], pdf_variant)
        db.session.refresh(job)
    else:
        _executor.submit(run, app, job.id, prepared[:4], pdf_variant)
    return job


def run(app, job_id: int, prepared: tuple, pdf_variant: str) -> None:
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        job.status = "running"
        db.session.commit()

        def progress(done: int) -> None:
            job.done = done
            db.session.commit()

        try:
            rendered = print_prepared(*prepared, pdf_variant=pdf_variant or None, progress=progress)
            name = f"{job.event_id}-{job.fingerprint[:32]}.pdf"
            write_atomically(prints_dir() / name, rendered.data)  # a full disk fails the job, leaving no file
            job.result_path, job.refused_urls = name, rendered.refused_urls
            job.done, job.status, job.finished_at = job.total, "done", utcnow()
        except Exception as error:  # a job must end, and say why
            log.exception("print job %s failed", job_id)
            db.session.rollback()
            job = db.session.get(PrintJob, job_id)
            job.status, job.error, job.finished_at = "failed", str(error)[:2000], utcnow()
        db.session.commit()
        db.session.remove()
