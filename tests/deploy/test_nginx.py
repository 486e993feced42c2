"""deploy/nginx.conf, the file DEPLOY.md tells operators to install, run as it is (only its
addresses, certificate and paths changed) in front of two gunicorn hosts, and checked for what it
promises: the visitor's forwarding headers replaced, unknown hosts refused, request ids shared
with the app's log, fingerprinted static files served from the checkout, large bodies refused."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.deploy.cluster import ROOT, Cluster, free_port
from tests.deploy.conftest import ADMIN_URL, REDIS_URL, _skip_unless_reachable

PUBLIC_HOST = "forum.deploy.test"  # the cluster's FORUMAPP_PUBLIC_URL


def _nginx_missing() -> str | None:
    for tool in ("nginx", "openssl"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            return tool
    return None


def site_config(tmp: Path, hosts: list[str], port: int) -> str:
    """deploy/nginx.conf with this machine's addresses; every change must apply, so a changed
    file fails here instead of being tested half."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    changes = [
        ("server 10.0.0.11:8000", f"server {hosts[0]}"),
        ("server 10.0.0.12:8000", f"server {hosts[1]}"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("server_name forum.example.kz;", f"server_name {PUBLIC_HOST};"),
        ("/etc/ssl/forumapp/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/ssl/forumapp/privkey.pem", str(tmp / "key.pem")),
        ("/var/log/nginx/forumapp.log", str(tmp / "access.log")),
        ("root /srv/forumapp/forumapp;", f"root {ROOT / 'forumapp'};"),
    ]
    for old, new in changes:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    missing = _nginx_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is not installed (scripts/bootstrap.sh installs it in CI)")
        pytest.skip(f"{missing} is not installed: sudo apt-get install -y nginx-light openssl")
    _skip_unless_reachable()
    tmp = tmp_path_factory.mktemp("nginx")
    cluster = Cluster(tmp / "cluster", admin_url=ADMIN_URL, redis_url=REDIS_URL, storage="directory")
    process = None
    try:
        cluster.create_database()
        hosts = [cluster.start_instance(name).removeprefix("http://") for name in ("A", "B")]
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", f"/CN={PUBLIC_HOST}", "-addext", f"subjectAltName=DNS:{PUBLIC_HOST},IP:127.0.0.1",
                        "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
                       check=True, capture_output=True)
        port = free_port()
        (tmp / "site.conf").write_text(site_config(tmp, hosts, port))
        temp = {name: tmp / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        (tmp / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
            "events { worker_connections 64; }\n"
            "http {\n  include /etc/nginx/mime.types;\n"
            + "".join(f"  {name}_temp_path {path};\n" if name != "body" else f"  client_body_temp_path {path};\n"
                      for name, path in temp.items())
            + f"  include {tmp}/site.conf;\n}}\n")
        nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx_bin, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf")], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([nginx_bin, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"https://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with requests.Session() as probe:
                    probe.trust_env = False
                    probe.get(f"{base}/healthz", verify=str(tmp / "cert.pem"), timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield base, cluster, str(tmp / "cert.pem")
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        cluster.close()


@pytest.fixture
def visitor(nginx):
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would take precedence over the line below
    session.verify = nginx[2]  # the test's own self-signed certificate
    session.headers.update({"Host": PUBLIC_HOST, "Accept-Language": "en"})
    yield session
    session.close()


def test_pages_come_through_nginx_with_one_request_id_in_both_logs(nginx, visitor):
    base, cluster, _ = nginx
    seen = set()
    for _ in range(4):  # round robin over both hosts
        response = visitor.get(f"{base}/login", headers={"X-Request-ID": "forged-by-the-visitor"})
        assert response.status_code == 200
        request_id = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, not the visitor's
        seen.add(request_id)
    time.sleep(0.5)
    logs = cluster.log_of("A") + cluster.log_of("B")
    assert all(f"request_id={request_id}" in logs for request_id in seen)
    assert f"request_id={sorted(seen)[0]}" in (Path(cluster.workdir).parent / "access.log").read_text()
    assert "forged-by-the-visitor" not in logs
    assert "path=\"/login\"" in cluster.log_of("A") and "path=\"/login\"" in cluster.log_of("B")


def test_forwarding_headers_sent_by_a_visitor_are_replaced(nginx, visitor):
    base, _, _ = nginx
    # The app refuses a forwarded host it does not serve (400), so passing the visitor's
    # X-Forwarded-Host through would fail here.
    response = visitor.get(f"{base}/login", headers={"X-Forwarded-Host": "evil.example.kz",
                                                     "X-Forwarded-For": "6.6.6.6", "Forwarded": "host=evil"})
    assert response.status_code == 200
    assert "evil.example.kz" not in response.text


def test_a_host_the_site_does_not_serve_is_refused(nginx, visitor):
    base, _, _ = nginx
    assert visitor.get(f"{base}/login", headers={"Host": "evil.example.kz"}).status_code == 400


def test_fingerprinted_static_files_are_served_by_nginx_for_a_year(nginx, visitor):
    base, _, _ = nginx
    page = visitor.get(f"{base}/login").text
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    response = visitor.get(base + css)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/css")
    assert "immutable" in response.headers["Cache-Control"] and "X-Request-ID" not in response.headers
    assert response.content == (ROOT / "forumapp" / "static" / "css" / "app.css").read_bytes()
    plain = visitor.get(f"{base}/static/css/app.css")
    assert plain.status_code == 200 and "max-age=300" in plain.headers["Cache-Control"]
    assert visitor.get(f"{base}/static/css/nothing.0123456789ab.css").status_code == 404


def test_a_body_over_20_mb_is_refused_by_nginx(nginx, visitor):
    base, _, _ = nginx
    response = visitor.post(f"{base}/login", data=b"x" * (21 * 1024 * 1024),
                            headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
