"""The sign-in limit is one budget for all workers when Redis is configured, and the log says so
when each process counts on its own.

Each "worker" is a separate Python process with its own app, as gunicorn's workers are: two apps
in one process would share Flask-Limiter's storage object and prove nothing."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from forumapp import create_app
from forumapp.extensions import limiter

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("FORUMAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
LOGIN_LIMIT = 20  # per minute and address, accounts/views.py

WORKER = """
import json, sys
from forumapp import create_app
storage, prefix, database, media, attempts = sys.argv[1:6]
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database, "STORAGE_DIR": media,
                  "SERVER_NAME": "forum.test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                  "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix})
client = app.test_client()
codes = [client.post("/login", data={"email": "nobody@example.kz", "password": "wrong password"}).status_code
         for _ in range(int(attempts))]
print(json.dumps(codes))
"""


def _redis_or_skip():
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return connection


def _worker(app, storage: str, prefix: str, attempts: int) -> list[int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", WORKER, storage, prefix, app.config["SQLALCHEMY_DATABASE_URI"], app.config["STORAGE_DIR"],
         str(attempts)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def prefix():
    connection = _redis_or_skip()
    name = f"forumapp-test-{uuid.uuid4().hex[:8]}"
    yield name
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


def test_with_redis_two_workers_share_one_sign_in_budget(app, prefix):
    each = LOGIN_LIMIT * 3 // 4  # neither worker reaches the limit alone
    first = _worker(app, REDIS_URL, prefix, each)
    second = _worker(app, REDIS_URL, prefix, each)
    assert first == [200] * each
    assert second[: LOGIN_LIMIT - each] == [200] * (LOGIN_LIMIT - each)
    assert set(second[LOGIN_LIMIT - each:]) == {429}, second


def test_in_memory_each_worker_counts_alone(app, prefix):
    """The contrast that makes the test above mean something: with per-process memory the same
    attempts across two workers are never refused."""
    each = LOGIN_LIMIT * 3 // 4
    assert _worker(app, "memory://", prefix, each) + _worker(app, "memory://", prefix, each) == [200] * (2 * each)


def test_per_process_limits_are_announced_in_the_log(app, caplog):
    common = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
              "STORAGE_DIR": app.config["STORAGE_DIR"], "SERVER_NAME": "forum.test", "RATELIMIT_ENABLED": True}
    try:
        with caplog.at_level(logging.WARNING):
            create_app({**common, "RATELIMIT_STORAGE_URI": "memory://"})
        assert "FORUMAPP_REDIS_URL" in caplog.text
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            create_app({**common, "RATELIMIT_STORAGE_URI": REDIS_URL})
        assert "FORUMAPP_REDIS_URL" not in caplog.text
    finally:
        limiter.enabled = False
