"""Both storage backends, for tests that must hold on either: a directory, and S3 over HTTP
against moto's standalone server (the S3-compatible server that installs here from PyPI,
`moto[server]`), started on a free port for the session."""

from __future__ import annotations

import os
import uuid

import pytest

from forumapp.storage import make_storage

BACKENDS = ["directory", "s3"]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a real HTTP S3 endpoint (moto's threaded server on 127.0.0.1)."""
    from moto.server import ThreadedMotoServer

    # boto3 reads credentials from the usual variables; moto accepts any.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "forumapp-test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "forumapp-test")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> str:
    import boto3

    name = f"forumapp-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=name)
    return name


def storage_settings_for(backend: str, tmp_path, s3_endpoint: str | None) -> dict:
    if backend == "directory":
        return {"STORAGE_BACKEND": "directory", "STORAGE_DIR": str(tmp_path / "storage")}
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": new_bucket(s3_endpoint), "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": "us-east-1", "S3_PREFIX": "", "STORAGE_DIR": str(tmp_path / "unused")}


@pytest.fixture(params=BACKENDS)
def storage(request, tmp_path):
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    return make_storage(storage_settings_for(request.param, tmp_path, endpoint))


@pytest.fixture(params=BACKENDS)
def app_storage(request, app, tmp_path):
    """The test app's storage switched to each backend in turn (restored afterwards)."""
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    settings = storage_settings_for(request.param, tmp_path, endpoint)
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    yield make_storage(settings)
    app.config.update(saved)
