"""The application as a whole: start page, languages, security headers, sign-in."""

import re

from tests.conftest import login, make_event, make_user


def test_start_page_lists_published_events_only(client):
    make_event("public-forum", status="published")
    make_event("secret-forum", status="draft", title={"ru": "Черновик форума"})
    page = client.get("/?lang=ru").get_data(as_text=True)
    assert "Форум лёгкой промышленности" in page
    assert "Черновик форума" not in page


def test_draft_and_unknown_events_are_404(client):
    make_event("draft-forum", status="draft")
    assert client.get("/e/draft-forum/").status_code == 404
    assert client.get("/e/no-such-forum/").status_code == 404


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_language_comes_from_query_then_cookie(client):
    make_event()
    page = client.get("/?lang=kk").get_data(as_text=True)
    assert "Жеңіл өнеркәсіп форумы" in page
    assert 'lang="kk"' in page
    # The choice is remembered without the parameter.
    assert "Жеңіл өнеркәсіп форумы" in client.get("/").get_data(as_text=True)
    assert "Light Industry Forum" in client.get("/?lang=en").get_data(as_text=True)


def test_login_with_wrong_password_shows_field_error(client):
    make_user()
    client.get("/?lang=en")
    response = login(client, password="wrong password!")
    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client):
    make_user()
    response = client.post("/login", data={"email": "organiser@example.kz", "password": "x"})
    assert response.status_code in (200, 400)
    assert "/manage" not in response.headers.get("Location", "")


def test_management_needs_sign_in(client):
    response = client.get("/manage/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_create_admin_command(runner, client):
    result = runner.invoke(args=["users", "create-admin", "Chief@Example.kz", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert login(client, "chief@example.kz", "s3cret-pass").status_code == 302
    again = runner.invoke(args=["users", "create-admin", "chief@example.kz", "--password", "s3cret-pass"])
    assert again.exit_code != 0
    assert "exists already" in again.output


def test_a_favicon_is_served_so_pages_log_no_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert client.get(icon).status_code == 200
