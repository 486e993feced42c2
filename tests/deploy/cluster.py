"""Two app hosts on one machine: a throw-away PostgreSQL database, Redis, shared storage (a
folder, or S3 through moto's standalone server), app instances under gunicorn with the repo's
deploy/gunicorn.conf.py and their own instance folders, and a round-robin proxy in front.

More processes join with spawn() (e.g. a Celery worker, with cluster.env); every process is
stopped and the database dropped by close().
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests
from psycopg import sql

from tests.deploy.proxy import RoundRobinProxy

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


class Cluster:
    def __init__(self, workdir: Path, *, admin_url: str, redis_url: str, storage: str):
        self.workdir = workdir
        self.admin_url = admin_url  # a PostgreSQL URL whose user may create databases
        self.database = f"forumapp_deploy_{os.getpid()}_{secrets.token_hex(3)}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.instances: dict[str, str] = {}  # name -> base URL
        self.proxy: RoundRobinProxy | None = None
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("FORUMAPP_", "GUNICORN_"))},
            "FORUMAPP_ENV": "production",
            "FORUMAPP_DATABASE_URL": self._database_url(self.database),
            "FORUMAPP_SECRET_KEY": secrets.token_urlsafe(48),  # one key for every host
            "FORUMAPP_REDIS_URL": redis_url,
            "FORUMAPP_TRUSTED_PROXIES": "1",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
        self.env.update(self._storage_env(storage))

    # ---- set-up ------------------------------------------------------------------------------

    def _database_url(self, name: str) -> str:
        base = self.admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    def _admin(self):
        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    def _storage_env(self, storage: str) -> dict:
        if storage == "directory":
            shared = self.workdir / "shared-volume"
            shared.mkdir()
            return {"FORUMAPP_STORAGE_DIR": str(shared)}
        port = free_port()
        self.spawn("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)])
        endpoint = f"http://127.0.0.1:{port}"
        self._wait(f"{endpoint}/", "moto_server", ok=lambda r: r.status_code < 500)
        import boto3

        credentials = {"AWS_ACCESS_KEY_ID": "forumapp-deploy", "AWS_SECRET_ACCESS_KEY": "forumapp-deploy"}
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="forumapp-deploy", aws_secret_access_key="forumapp-deploy",
                     ).create_bucket(Bucket="forumapp-deploy")
        return {"FORUMAPP_S3_BUCKET": "forumapp-deploy", "FORUMAPP_S3_ENDPOINT_URL": endpoint,
                "FORUMAPP_S3_REGION": "us-east-1", **credentials}

    def create_database(self) -> None:
        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        self.run(["flask", "--app", "wsgi", "db", "upgrade"])

    def run(self, argv: list[str], **env) -> str:
        """A one-off command with the cluster's settings (like a deploy step); its output."""
        instance = self.workdir / "one-off"
        done = subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**self.env, "FORUMAPP_INSTANCE_PATH": str(instance), **env})
        if done.returncode:
            raise RuntimeError(f"{argv} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def spawn(self, name: str, argv: list[str], **env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")
        process = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def start_instance(self, name: str) -> str:
        """An app host: gunicorn with the repo's config, its own instance folder and port."""
        port = free_port()
        instance = self.workdir / f"host-{name}"
        self.spawn(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                   FORUMAPP_INSTANCE_PATH=str(instance), GUNICORN_BIND=f"127.0.0.1:{port}")
        url = f"http://127.0.0.1:{port}"
        self._wait(f"{url}/readyz", name)
        self.instances[name] = url
        return url

    def start_proxy(self) -> str:
        self.proxy = RoundRobinProxy(free_port(), {name: url.removeprefix("http://")
                                                   for name, url in self.instances.items()}).start()
        return self.proxy.url

    def _wait(self, url: str, name: str, ok=lambda r: r.status_code == 200, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log_of(name)}")
            try:
                if ok(requests.get(url, timeout=5)):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not become ready at {url}:\n{self.log_of(name)}")

    def log_of(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # ---- tear-down ---------------------------------------------------------------------------

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.shutdown()
            self.proxy.server_close()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with self._admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))
