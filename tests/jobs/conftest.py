"""A real Redis broker and real Celery worker processes, started by the tests.

Redis db 6 by default (FORUMAPP_TEST_BROKER_URL to choose another); the tests are skipped, with
the reason, only when Redis cannot be reached. The worker shares the test database, media and
storage directories, and runs beat (-B) with short leases and sweeps so that lost work is found
in seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from forumapp.extensions import db
from forumapp.jobs.celery_app import init_celery

BROKER_URL = os.environ.get("FORUMAPP_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def broker_url():
    try:
        connection = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {BROKER_URL} ({error}); the Celery tests need a real broker")
    connection.flushdb()  # this test run's own database number: old messages would confuse it
    return BROKER_URL


@pytest.fixture
def with_broker(app, broker_url):
    """The test's app sends tasks to the broker (as a web process with FORUMAPP_BROKER_URL)."""
    app.config.update(BROKER_URL=broker_url, JOBS_EAGER=False)
    init_celery(app)
    yield app
    app.config.update(BROKER_URL="", JOBS_EAGER=True)
    init_celery(app)
    redis.Redis.from_url(broker_url).flushdb()


class Worker:
    """`celery worker -B` in its own process group, for one test."""

    def __init__(self, app, broker_url: str, log_path: Path, **overrides):
        self.config = {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "STORAGE_DIR": app.config["STORAGE_DIR"],
            "SERVER_NAME": app.config.get("SERVER_NAME"),
            "BROKER_URL": broker_url,
            "SMTP_URL": app.config.get("SMTP_URL", ""),
            "PRINT_LEASE_SECONDS": 3,
            "PRINT_SWEEP_SECONDS": 2,
            "PRINT_QUEUE_GRACE_SECONDS": 30,
            "BROKER_VISIBILITY_TIMEOUT": 3600,
            "OUTBOX_SWEEP_SECONDS": 5,
            **overrides,
        }
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = {**os.environ, "FORUMAPP_TEST_WORKER_CONFIG": json.dumps(self.config),
               "FORUMAPP_SECRET_KEY": os.environ["FORUMAPP_SECRET_KEY"]}
        schedule = self.log_path.with_suffix(".schedule")
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.jobs.worker_app:celery", "worker", "-B", "-s", str(schedule), "--pool", "threads",
             "--concurrency", "2", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "-n", f"test-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def descendants(self) -> list[int]:
        """Every process under the worker (its pool child, the forkserver, the render processes)."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    children = [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    children = []
                found.extend(children)
                queue.extend(children)
        return found

    def kill_celery_processes(self) -> list[int]:
        """SIGKILL the worker and its pool child, as when a host dies or the OOM killer strikes;
        the render processes below them are left to die on their own. Returns those."""
        others = []
        for pid in [self.process.pid, *self.descendants()]:
            if b"\0-m\0celery\0" in _cmdline(pid):  # not the forkserver, whose sys.path may say celery
                os.kill(pid, signal.SIGKILL)
            else:
                others.append(pid)
        self.process.wait(timeout=10)
        self.log.close()
        return others

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.log.close()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture
def workers(app, with_broker, broker_url, tmp_path):
    started: list[Worker] = []

    def start(**overrides) -> Worker:
        worker = Worker(app, broker_url, tmp_path / f"worker-{len(started)}.log", **overrides).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, timeout: float, what: str, worker: Worker | None = None):
    """Poll `condition()` (after ending the session's transaction, to see other processes'
    commits) until it is true; fail with `what` (and the worker's log) after `timeout`, or as
    soon as the worker has stopped."""
    deadline = time.monotonic() + timeout
    log = worker.log_path if worker else None
    while time.monotonic() < deadline and not (worker and worker.process.poll() is not None):
        db.session.rollback()
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what}\n{tail}")
