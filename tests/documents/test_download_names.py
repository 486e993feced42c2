"""Every download is named with RFC 6266 `filename*` and an ASCII fallback, so an event code in
Kazakh or Russian (ЖОФ-2016, certificate ЖОФ-2016-00001) reaches the browser instead of making
gunicorn drop the connection over a header it cannot encode."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests

from forumapp.awards.models import Certificate
from forumapp.downloads import ascii_fallback, content_disposition
from forumapp.extensions import db
from forumapp.registration.models import Registration
from tests.awards.conftest import BASE, ceremony, post, print_in_request  # noqa: F401 (fixtures)
from tests.conftest import make_item
from tests.registration.checkin_factories import make_registration
from tests.shows.helpers import make_brand, make_collection, make_show

CODE = "ЖОФ-2016"


def filenames(response) -> tuple[str, str]:
    """(the ASCII fallback, the decoded filename*) of a response, after checking that the header
    can go on the wire at all."""
    value = response.headers["Content-Disposition"]
    value.encode("latin-1")  # what gunicorn (and WSGI) require of every header
    fallback = re.search(r'filename="([^"]*)"', value)
    extended = re.search(r"filename\*=UTF-8''(\S+)", value)
    assert fallback and extended, value
    assert fallback.group(1).isascii()
    return fallback.group(1), unquote(extended.group(1))


def test_the_header_names_the_file_in_utf8_with_an_ascii_fallback():
    value = content_disposition("ЖОФ-2016-00171.pdf")
    assert value == ("attachment; filename=\"2016-00171.pdf\"; "
                     "filename*=UTF-8''%D0%96%D0%9E%D0%A4-2016-00171.pdf")
    assert content_disposition("programme.pdf", inline=True).startswith("inline; filename=\"programme.pdf\"")
    # Quotes, backslashes, separators and control characters never reach the fallback; the
    # percent-encoded name keeps them harmlessly.
    hostile = 'a"b\\c/d\r\ne;f é.pdf'
    fallback = ascii_fallback(hostile)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", fallback), fallback
    assert "%22" in content_disposition(hostile) and "\r" not in content_disposition(hostile)
    assert ascii_fallback("Қазақша.pdf") == "download.pdf"


@pytest.fixture
def forum_with_everything(admin_client, ceremony):  # noqa: F811 (the fixture imported above)
    """The awards forum with a Kazakh event code, issued certificates, registrations and a show."""
    event = ceremony["event"]
    event.code = CODE
    db.session.commit()
    issued = post(admin_client, f"{BASE}/issue", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
                  token_from=ceremony["page"])
    assert issued.status_code == 302
    registration = make_registration(event, "Гүлмира Уақытова")
    show_item = make_item(event, "Показ коллекций", start="17:30", end="18:30", kind="collection_show")
    collection = make_collection(event, make_brand("Semiramide"), {"kk": "Алматы кеші", "en": "Almaty Evening"})
    make_show(show_item, [(collection, None)])
    return {**ceremony, "registration": registration, "show_item": show_item}


def test_every_download_route_names_its_file_with_filename_star(client, admin_client, forum_with_everything):
    forum = forum_with_everything
    slug, item = forum["event"].slug, forum["item"]
    certificate = db.session.scalar(db.select(Certificate).order_by(Certificate.serial))
    assert certificate.number.startswith(CODE)
    registration = db.session.get(Registration, forum["registration"].id)

    downloads = {
        f"{BASE}/certificates/{certificate.id}.pdf": f"{certificate.number}.pdf",
        f"{BASE}/c/{item.id}/running-order.pdf": f"running-order-{item.id}.pdf",
        f"/manage/e/{slug}/registrations/export.csv": f"{slug}-registrations.csv",
        f"/manage/e/{slug}/registrations/export.xlsx": f"{slug}-registrations.xlsx",
        f"/manage/e/{slug}/registrations/{registration.id}/ticket.pdf": f"ticket-{slug}.pdf",
        f"/manage/e/{slug}/badges.pdf?layout=a6": f"badges-{slug}-a6.pdf",
        f"/manage/e/{slug}/shows/{forum['show_item'].id}/run-of-show.pdf": f"{slug}-run-of-show-{forum['show_item'].id}.pdf",
        f"/e/{slug}/shows/{forum['show_item'].id}/leaflet.pdf": f"{slug}-show-{forum['show_item'].id}.pdf",
        f"/e/{slug}/r/{registration.token}/ticket.pdf": f"ticket-{slug}.pdf",
        f"/e/{slug}/programme.pdf?lang=kk": f"{slug}-kk.pdf",
        f"/e/{slug}/programme.ics?lang=ru": f"{slug}-ru.ics",
    }
    for path, expected in downloads.items():
        response = admin_client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert filenames(response)[1] == expected, path

    # The batch printed in the request, and the same batch as a job to download later.
    printed = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": item.id},
                   token_from=forum["page"])
    assert printed.mimetype == "application/pdf"
    assert filenames(printed)[1] == f"{slug}-award-certificates.pdf"
    job = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": item.id, "background": "1"},
               token_from=forum["page"])
    status = admin_client.get(job.headers["Location"] + ".json").get_json()
    download = admin_client.get(status["download"])
    assert download.status_code == 200
    assert filenames(download)[1].startswith(f"{slug}-certificates-")

    # A design's preview (named preview.pdf) carries filename* too.
    design_id = _a_design_id(admin_client)
    preview = admin_client.get(f"{BASE}/designs/{design_id}/preview.pdf")
    assert preview.status_code == 200 and filenames(preview)[1] == "preview.pdf"


def _a_design_id(admin_client) -> int:
    from tests.awards.test_certificates import kazakh_russian_design

    return kazakh_russian_design(admin_client).id


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_server(app):
    """The app under gunicorn (from this venv) on a free port, on the tests' own database."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FORUMAPP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "FORUMAPP_STORAGE_DIR": app.config["STORAGE_DIR"], "FORUMAPP_PUBLIC_URL": base}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "forumapp:create_app({'RATELIMIT_ENABLED': False})"],
        cwd=Path(__file__).resolve().parents[2], env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/login", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_a_certificate_numbered_in_kazakh(admin_client, forum_with_everything, gunicorn_server):
    certificate = db.session.scalar(db.select(Certificate).order_by(Certificate.serial))
    browser = requests.Session()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      browser.get(f"{gunicorn_server}/login", timeout=30).text).group(1)
    signed_in = browser.post(f"{gunicorn_server}/login", timeout=30, allow_redirects=False, data={
        "email": "organiser@example.kz", "password": "correct horse battery", "csrf_token": token})
    assert signed_in.status_code == 302, signed_in.text[:500]
    response = browser.get(f"{gunicorn_server}{BASE}/certificates/{certificate.id}.pdf", timeout=60)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert filenames(response)[1] == f"{certificate.number}.pdf"
