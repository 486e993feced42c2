"""Clusters for the fault tests: a throw-away database named forumapp_faults_*, Redis db 9 (the
broker, rate limits and page cache), a shared storage folder; and what a browser does with them."""

from __future__ import annotations

import json
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from tests.deploy.cluster import Cluster
from tests.deploy.conftest import ADMIN_URL, _skip_unless_reachable
from tests.deploy.seed import ADMIN_EMAIL, ADMIN_PASSWORD

REDIS_URL = os.environ.get("FORUMAPP_FAULTS_REDIS_URL", "redis://127.0.0.1:6379/9")
NUMBER = re.compile(r"TF-2016-\d{5}")


@contextmanager
def faults_cluster(workdir: Path, **env):
    """A Cluster (not started) whose processes get `env` too; closed (processes stopped,
    database dropped) on exit."""
    _skip_unless_reachable()
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); the fault tests need it")
    cluster = Cluster(workdir, admin_url=ADMIN_URL, redis_url=REDIS_URL, storage="directory")
    cluster.database = f"forumapp_faults_{os.getpid()}_{secrets.token_hex(3)}"
    cluster.env["FORUMAPP_DATABASE_URL"] = cluster._database_url(cluster.database)
    cluster.env.update(env)
    try:
        yield cluster
    finally:
        cluster.close()


def job_row(cluster: Cluster, job_id: int) -> dict:
    """The print job as the database has it (straight from PostgreSQL, past every app process)."""
    with psycopg.connect(cluster.admin_url.rsplit("/", 1)[0] + f"/{cluster.database}", connect_timeout=5) as c:
        cursor = c.execute("SELECT status, done, total, attempts, worker FROM print_job WHERE id = %s", (job_id,))
        return dict(zip(("status", "done", "total", "attempts", "worker"), cursor.fetchone(), strict=True))


def seed_awards(cluster: Cluster, count: int) -> dict:
    cluster.create_database()
    return json.loads(cluster.run(["python", "-m", "tests.deploy.seed_awards", str(count)]).strip().splitlines()[-1])


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def signed_in(host: str) -> requests.Session:
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    page = browser.get(f"{host}/login", timeout=30).text
    response = browser.post(f"{host}/login", data={"csrf_token": hidden(page, "csrf_token"), "email": ADMIN_EMAIL,
                                                   "password": ADMIN_PASSWORD}, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return browser


def start_print(browser: requests.Session, host: str, event: str) -> int:
    """Print the ceremony's award certificates in the background, as the organiser's button does."""
    base = f"{host}/manage/e/{event}/awards"
    page = browser.get(f"{base}/certificates", timeout=30).text
    response = browser.post(f"{base}/print", data={"csrf_token": hidden(page, "csrf_token"), "kind": "award",
                                                   "background": "1"}, allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:500]
    return int(re.search(r"/jobs/(\d+)", response.headers["Location"]).group(1))


def printed_numbers(pdf: bytes) -> list[str]:
    from tests.awards.conftest import pdf_pages

    return [NUMBER.search(page).group(0) for page in pdf_pages(pdf)]


# ---- processes (from /proc) ------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        below = children(queue.pop())
        found += below
        queue += below
    return found


def alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
