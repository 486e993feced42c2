"""What every print job's pages answer, certificates and name badges alike: the status the page
polls (forumapp/static/js/print-job.js, templates/_print_job.html) and the printed PDF, served
from the shared storage so any host serves what any worker printed."""

from __future__ import annotations

from flask import abort, jsonify

from forumapp.awards.labels import JOB_STATUS_LABELS
from forumapp.awards.listing import seconds_left
from forumapp.awards.models import PrintJob, PrintJobStatus
from forumapp.downloads import named
from forumapp.storage import get_storage


def status_response(job: PrintJob, download_url: str):
    done = job.status == PrintJobStatus.DONE
    return jsonify(status=job.status, status_label=str(JOB_STATUS_LABELS.get(job.status, job.status)),
                   done=job.done, total=job.total, error=job.error, seconds_left=seconds_left(job),
                   refused_urls=job.refused_urls or [], download=download_url if done else None)


def result_response(job: PrintJob, name: str):
    if job.status != PrintJobStatus.DONE or not job.result_path:
        abort(404)
    try:
        return named(get_storage().send(job.result_path, mimetype="application/pdf", download_name=name), name)
    except FileNotFoundError:  # cleaned up (PRINTS_MAX_AGE_DAYS): print the batch again
        abort(404)
