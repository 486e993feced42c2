"""Print jobs run by real Celery workers (a real Redis broker): progress from the worker, the PDF
through any web process, and nothing lost or stuck when a worker or a web process dies."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from forumapp.awards import jobs
from forumapp.awards.models import PrintJob
from forumapp.extensions import db
from forumapp.timeutil import utcnow
from tests.awards.conftest import BASE, pdf_pages, post
from tests.jobs.conftest import alive, wait_for
from tests.jobs.factories import many_certificates

NUMBER = re.compile(r"TF-2016-\d{5}")


def start_print(admin_client) -> PrintJob:
    response = post(admin_client, f"{BASE}/print", {"kind": "award", "background": "1"}, token_from=f"{BASE}/certificates")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    job_id = int(re.search(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(PrintJob, job_id)


def job_row(job_id: int) -> PrintJob:
    return db.session.get(PrintJob, job_id)


def numbers_once_in_order(pdf: bytes, certificates) -> None:
    pages = pdf_pages(pdf)
    printed = [NUMBER.search(page).group(0) for page in pages]
    assert len(pages) == len(certificates)
    assert Counter(printed).most_common(1)[0][1] == 1, "a certificate was printed twice"
    assert printed == [c.number for c in certificates], "every certificate once, in ceremony order"


def test_a_print_job_is_printed_by_the_worker_and_downloaded_through_the_web(admin_client, workers):
    _event, certificates = many_certificates(60)
    worker = workers()
    job = start_print(admin_client)
    url = f"{BASE}/jobs/{job.id}"
    assert admin_client.get(url + ".json").get_json()["total"] == 60
    status = wait_for(lambda: (s := admin_client.get(url + ".json").get_json())["status"] == "done" and s,
                      60, "the worker to print the batch", worker)
    assert status["done"] == status["total"] == 60
    assert not job_row(job.id).worker.endswith(f":{__import__('os').getpid()}"), "printed by the worker process"
    numbers_once_in_order(admin_client.get(status["download"]).data, certificates)


def test_a_worker_killed_mid_batch_leaves_no_orphans_and_a_new_worker_prints_every_certificate_once(
        admin_client, workers):
    _event, certificates = many_certificates(1000)
    first = workers(AWARDS_CHUNK_SIZE=10)  # progress every 10 pages: the test sees it in the middle
    job = start_print(admin_client)
    wait_for(lambda: (row := job_row(job.id)).status == "running" and 0 < row.done < row.total,
             300, "the worker to be in the middle of the batch", first)
    render_processes = first.kill_celery_processes()
    assert render_processes, "the batch was stamped by render processes"
    wait_for(lambda: not any(alive(pid) for pid in render_processes), 15,
             "the render processes of the killed worker to exit (not orphaned)")
    assert job_row(job.id).status == "running", "nobody has noticed yet: the lease has not expired"

    second = workers(AWARDS_CHUNK_SIZE=10)
    wait_for(lambda: job_row(job.id).status == "done", 300, "a new worker to print the batch", second)
    row = job_row(job.id)
    assert row.attempts == 2 and row.done == row.total == 1000
    numbers_once_in_order(admin_client.get(f"{BASE}/jobs/{job.id}/download").data, certificates)
    again = start_print(admin_client)
    assert again.id == job.id, "printing the same batch again reuses the finished job"


def stuck_like_a_dead_web_process(admin_client) -> PrintJob:
    """A job the embedded default was printing in a web process that was killed: running, its
    lease not renewed since."""
    db.session.rollback()
    row = db.session.scalar(db.select(PrintJob))
    row.status, row.done, row.worker = "running", 3, "web-host:4242"
    row.lease_expires_at, row.result_path = utcnow() - timedelta(seconds=5), None
    db.session.commit()
    return row


def test_a_job_whose_web_process_died_is_printed_again_by_the_sweep(admin_client, workers):
    _event, certificates = many_certificates(30)
    job = start_print(admin_client)  # sent to the broker; no worker runs yet
    stuck_like_a_dead_web_process(admin_client)
    worker = workers()
    wait_for(lambda: job_row(job.id).status == "done", 180, "the stale job to be printed again", worker)
    numbers_once_in_order(admin_client.get(f"{BASE}/jobs/{job.id}/download").data, certificates)


def test_printing_the_same_batch_again_never_returns_a_stuck_job(app, admin_client):
    """The embedded default (no broker): the next print of the batch restarts the stale job."""
    _event, certificates = many_certificates(30)
    app.config["JOBS_EAGER"] = False  # printing in the background thread would race the test
    job = start_print(admin_client)
    wait_for(lambda: job_row(job.id).status in ("done", "failed"), 120, "the first print")
    stuck_like_a_dead_web_process(admin_client)
    app.config["JOBS_EAGER"] = True
    again = start_print(admin_client)
    assert again.id == job.id
    row = job_row(job.id)
    assert row.status == "done" and row.attempts == 2
    numbers_once_in_order(admin_client.get(f"{BASE}/jobs/{job.id}/download").data, certificates)


def test_a_running_job_with_a_live_lease_is_left_to_its_worker(admin_client):
    _event, _certificates = many_certificates(5)
    job = start_print(admin_client)
    row = stuck_like_a_dead_web_process(admin_client)
    row.lease_expires_at = utcnow() + timedelta(minutes=1)
    db.session.commit()
    assert jobs.requeue_stale() == 0
    assert job_row(job.id).status == "running" and job_row(job.id).attempts == 1


def test_old_prints_are_removed_by_the_periodic_clean_up(app, admin_client):
    _event, _certificates = many_certificates(5)
    job = start_print(admin_client)
    from forumapp.storage import get_storage

    key = job_row(job.id).result_path
    assert key.startswith("prints/") and get_storage().exists(key)
    jobs.clean_old_prints()
    assert get_storage().exists(key), "a fresh result is kept"
    app.config["PRINTS_MAX_AGE_DAYS"] = -1
    try:
        assert jobs.clean_old_prints() >= 1
    finally:
        app.config["PRINTS_MAX_AGE_DAYS"] = 7
    assert not get_storage().exists(key)
    assert admin_client.get(f"{BASE}/jobs/{job.id}/download").status_code == 404
    assert start_print(admin_client).id != job.id, "a removed result is printed again"
