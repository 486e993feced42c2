"""The two-hosts harness (cluster.py) as fixtures: one cluster per storage backend for the
module, skipped only when PostgreSQL or Redis cannot be reached (CI has both)."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlsplit

import pytest
import requests

from tests.deploy.cluster import Cluster, reachable

ADMIN_URL = os.environ.get("FORUMAPP_DEPLOY_POSTGRES_URL") or (
    re.sub(r"/[^/]*$", "/postgres", os.environ["FORUMAPP_TEST_DATABASE_URL"])
    if os.environ.get("FORUMAPP_TEST_DATABASE_URL", "").startswith("postgresql")
    else "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("FORUMAPP_DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/7")


def _skip_unless_reachable() -> None:
    for name, url, default_port in (("PostgreSQL", ADMIN_URL, 5432), ("Redis", REDIS_URL, 6379)):
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or default_port
        if not reachable(host, port):
            pytest.skip(f"{name} is not reachable at {host}:{port}: the two-hosts test needs it "
                        f"(CI runs it; set FORUMAPP_DEPLOY_POSTGRES_URL / FORUMAPP_DEPLOY_REDIS_URL)")


@pytest.fixture(scope="module", params=["directory", "s3"])
def cluster(request, tmp_path_factory):
    """Hosts A and B (gunicorn, separate instance folders) sharing a new PostgreSQL database,
    Redis and the storage, behind a round-robin proxy; cluster.seed holds the ids set up."""
    _skip_unless_reachable()
    cluster = Cluster(tmp_path_factory.mktemp(f"cluster-{request.param}"), admin_url=ADMIN_URL,
                      redis_url=REDIS_URL, storage=request.param)
    cluster.storage = request.param
    try:
        cluster.create_database()
        cluster.seed = json.loads(cluster.run(["python", "-m", "tests.deploy.seed"]).strip().splitlines()[-1])
        cluster.start_instance("A")
        cluster.start_instance("B")
        cluster.start_proxy()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def browser():
    """A browser: one cookie jar for every host (cookies do not depend on the port)."""
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    yield session
    session.close()
