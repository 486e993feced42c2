"""Two app hosts on one machine, as a national forum runs: what one host wrote (a lookbook
picture, a registration, a signed session) is seen and accepted by the other, directly and
through the round-robin proxy. (A print job started through A and downloaded through B joins
here once background work runs on Celery: cluster.spawn() the worker.)"""

from __future__ import annotations

import io
import re
import time

from PIL import Image

from tests.deploy.seed import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.media import samples

NAME = "Гүлмира Уақытова"


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def sign_in(browser, host: str) -> None:
    page = browser.get(f"{host}/login").text
    response = browser.post(f"{host}/login", data={"csrf_token": hidden(page, "csrf_token"), "email": ADMIN_EMAIL,
                                                   "password": ADMIN_PASSWORD}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]


def test_each_host_has_its_own_instance_folder_and_is_ready(cluster):
    a, b = cluster.instances["A"], cluster.instances["B"]
    import requests

    for host in (a, b):
        ready = requests.get(f"{host}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    assert (cluster.workdir / "host-A").is_dir() and (cluster.workdir / "host-B").is_dir()
    # The key came from the environment: no host made its own.
    assert not (cluster.workdir / "host-A" / "secret_key").exists()


def test_a_lookbook_picture_uploaded_through_a_is_served_by_b(cluster, browser):
    a, b = cluster.instances["A"], cluster.instances["B"]
    sign_in(browser, a)
    url = f"/manage/e/{cluster.seed['event']}/collections/{cluster.seed['collection']}"
    page = browser.get(a + url).text
    upload = browser.post(a + url + "/images", data={"csrf_token": hidden(page, "csrf_token"), "image-caption-en": "Look 1"},
                          files={"image-image": ("look1.jpg", samples.jpeg_with_exif(900, 1350), "image/jpeg")},
                          allow_redirects=False)
    assert upload.status_code == 302, upload.text[:500]
    public = browser.get(f"{b}/e/{cluster.seed['event']}/collections/{cluster.seed['collection']}").text
    path = re.search(r'/media/(lookbooks/[0-9a-f]+\.jpg)', public).group(1)
    served = browser.get(f"{b}/media/{path}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (900, 1350)
    assert "max-age=604800" in served.headers["Cache-Control"]
    assert browser.get(f"{a}/media/{path}").content == served.content
    if cluster.storage == "directory":  # one shared volume; nothing in the hosts' own folders
        assert (cluster.workdir / "shared-volume" / "media" / path).is_file()
    assert not list((cluster.workdir / "host-A").rglob("*.jpg"))


def test_a_registration_on_a_is_seen_by_the_check_in_desk_on_b(cluster, browser):
    import requests

    a, b = cluster.instances["A"], cluster.instances["B"]
    slug = cluster.seed["event"]
    visitor = requests.Session()
    form = visitor.get(f"{a}/e/{slug}/register").text
    data = {"csrf_token": hidden(form, "csrf_token"), "full_name": NAME, "email": "gulmira@example.kz",
            "phone": "+7 701 123 45 67", "organisation_name": "«Жібек жолы»", "position": "Директор",
            "city": "Алматы", "locale": "kk", "consent": "y"}
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', form)
    if nonce:
        data["nonce"] = nonce.group(1)
    category = re.search(r'<option[^>]*value="(\d+)"', form)
    if category:
        data["category"] = category.group(1)
    registered = visitor.post(f"{a}/e/{slug}/register", data=data, allow_redirects=False)
    assert registered.status_code == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', registered.text)

    sign_in(browser, b)
    desk = browser.get(f"{b}/manage/e/{slug}/checkin", params={"q": "гүлмира"}).text
    assert NAME in desk
    registration_id = re.search(r'name="registration_id" value="(\d+)"', desk).group(1)
    checked = browser.post(f"{b}/manage/e/{slug}/checkin", data={"registration_id": registration_id,
                                                                  "csrf_token": hidden(desk, "csrf_token")},
                           headers={"Accept": "application/json"})
    assert checked.status_code == 200 and checked.json()["name"] == NAME and checked.json()["result"] == "checked_in"
    assert browser.get(f"{a}/manage/e/{slug}/checkin/counts").json()["arrived"] == 1


def test_a_session_and_form_from_one_host_are_accepted_by_the_other_through_the_proxy(cluster, browser):
    proxy = cluster.proxy.url
    served_by = []
    page = browser.get(f"{proxy}/login")
    served_by.append(page.headers["X-Upstream"])
    signed_in = browser.post(f"{proxy}/login", data={"csrf_token": hidden(page.text, "csrf_token"),
                                                     "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                             allow_redirects=False)
    served_by.append(signed_in.headers["X-Upstream"])
    assert signed_in.status_code == 302, signed_in.text[:500]  # the CSRF token of one host, checked by the other
    for _ in range(4):
        manage = browser.get(f"{proxy}/manage/e/{cluster.seed['event']}/checkin", allow_redirects=False)
        served_by.append(manage.headers["X-Upstream"])
        assert manage.status_code == 200  # signed in on every host, whichever signed the cookie
    assert set(served_by) == {"A", "B"} and served_by[0] != served_by[1]


def test_the_proxys_request_id_reaches_the_log_of_the_host_that_served(cluster, browser):
    missing = browser.get(f"{cluster.proxy.url}/no/such/page")
    request_id, host = missing.headers["X-Request-ID"], missing.headers["X-Upstream"]
    assert missing.status_code == 404 and request_id in missing.text
    line = rf"request_id={request_id} method=GET path=\"/no/such/page\" status=404"
    # The line is written once the body has been handed over, so it may follow the response a little.
    deadline = time.monotonic() + 10
    while not re.search(line, cluster.log_of(host)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert re.search(line, cluster.log_of(host)), cluster.log_of(host)[-1000:]
