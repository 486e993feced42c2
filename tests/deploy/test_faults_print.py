"""Print jobs across hosts and through a killed web worker, on real gunicorn processes with a
throw-away PostgreSQL database (tests/deploy/faults.py):

- with a broker, a job started through host A is printed by one Celery worker, followed and
  downloaded through host B;
- without a broker (the embedded default: the job prints in a thread of the web process), kill -9
  of the gunicorn worker printing it leaves nothing stuck: its lease expires, the sweep of the
  new worker prints it again, and the batch downloads.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import time

import requests

from tests.deploy.cluster import BIN
from tests.deploy.faults import (
    REDIS_URL,
    alive,
    children,
    descendants,
    faults_cluster,
    job_row,
    printed_numbers,
    seed_awards,
    signed_in,
    start_print,
)

WORKER_BROKER_URL = REDIS_URL


def follow(browser: requests.Session, url: str, seconds: float, until=lambda s: s["status"] == "done", on_wait=None):
    """Poll the job's JSON status until `until(status)`; every status seen, in order."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = browser.get(url, timeout=30)
        except requests.ConnectionError:  # a kept-alive connection to a killed worker: ask again
            response = None
        if response is not None and response.status_code == 200:
            seen.append(response.json())
            if until(seen[-1]):
                return seen
        if on_wait:
            on_wait()
        time.sleep(0.2)
    raise AssertionError(f"the job did not get there in {seconds} s; last statuses: {seen[-3:]}")


def test_a_job_started_through_a_is_printed_by_the_worker_and_followed_and_downloaded_through_b(tmp_path):
    with faults_cluster(tmp_path, FORUMAPP_BROKER_URL=WORKER_BROKER_URL) as cluster:
        seed = seed_awards(cluster, 12)
        a, b = cluster.start_instance("A"), cluster.start_instance("B")
        worker = cluster.spawn("worker", [str(BIN / "celery"), "-A", "forumapp.jobs.worker:celery", "worker",
                                          "--pool", "threads", "--concurrency", "2", "--loglevel", "INFO",
                                          "--without-gossip", "--without-mingle", "-n", f"faults-{secrets.token_hex(3)}@%h"],
                               FORUMAPP_INSTANCE_PATH=str(tmp_path / "worker-host"))
        browser = signed_in(a)  # one signed session cookie, accepted by both hosts
        job_id = start_print(browser, a, seed["event"])

        def worker_alive():
            assert worker.poll() is None, cluster.log_of("worker")

        seen = follow(browser, f"{b}/manage/e/{seed['event']}/awards/jobs/{job_id}.json", 50, on_wait=worker_alive)
        assert all(s["total"] == 12 for s in seen) and seen[-1]["done"] == 12
        row = job_row(cluster, job_id)
        assert row["worker"] == f"{socket.gethostname()}:{worker.pid}", f"printed by the Celery worker, not a web host: {row}"
        assert row["attempts"] == 1
        download = browser.get(b + seen[-1]["download"], timeout=30)
        assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
        assert printed_numbers(download.content) == seed["numbers"], "every certificate once, in ceremony order"
        assert not list((tmp_path / "host-A").rglob("*.pdf")) and not list((tmp_path / "host-B").rglob("*.pdf")), \
            "the PDF lives in the shared storage, not in a host's own folder"


def test_kill_9_of_the_web_worker_printing_a_job_leaves_no_job_stuck(tmp_path):
    # No broker: the job prints in a thread of the gunicorn worker. Short lease and sweep.
    with faults_cluster(tmp_path, FORUMAPP_PRINT_LEASE_SECONDS="3", FORUMAPP_PRINT_SWEEP_SECONDS="1") as cluster:
        seed = seed_awards(cluster, 60)
        a = cluster.start_instance("A")
        master = cluster.processes["A"]
        browser = signed_in(a)
        job_id = start_print(browser, a, seed["event"])
        deadline = time.monotonic() + 30
        while (row := job_row(cluster, job_id))["status"] != "running" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert row["status"] == "running", f"the web worker should be printing by now: {row}"
        (web_worker,) = children(master.pid)
        assert row["worker"].endswith(f":{web_worker}"), f"printed by the web worker itself: {row}"
        below = descendants(web_worker)
        os.kill(web_worker, signal.SIGKILL)

        # gunicorn starts a new worker; nobody renews the lease; the new worker's sweep (its
        # periodic thread starts with its first request: the organiser's page polling) prints it again.
        seen = follow(browser, f"{a}/manage/e/{seed['event']}/awards/jobs/{job_id}.json", 45,
                      until=lambda s: s["status"] in ("done", "failed"))
        assert seen[-1]["status"] == "done", seen[-1]
        row = job_row(cluster, job_id)
        assert row["attempts"] == 2 and row["done"] == row["total"] == 60, row
        assert not row["worker"].endswith(f":{web_worker}")
        assert master.poll() is None, "the app was not restarted"
        download = browser.get(a + seen[-1]["download"], timeout=30)
        assert printed_numbers(download.content) == seed["numbers"], "every certificate once, in ceremony order"
        assert start_print(browser, a, seed["event"]) == job_id, "printing the same batch again reuses the job"
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in below), "the killed worker's render processes exit (not orphaned)"
