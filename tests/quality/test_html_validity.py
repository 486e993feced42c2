"""Every page is valid HTML by the Nu HTML Checker (the W3C validator's engine): the public
pages, the participant's pages, the organiser's pages, and forms showing their errors."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.conftest import csrf_token
from tests.quality.crawl import VNU_JAR, crawl, require_tool


def _validate(pages: dict[str, str], tmp_path) -> list[str]:
    """The checker's errors, as 'path: message (extract)'; one Java start for all the pages."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: sudo apt-get install -y default-jre-headless"
    names = {}
    for index, (path, html) in enumerate(pages.items()):
        file = tmp_path / f"page{index}.html"
        file.write_text(html, encoding="utf-8")
        names["file:" + str(file.resolve())] = path
    result = subprocess.run(
        [java, "-jar", str(require_tool(VNU_JAR)), "--format", "json", "--errors-only", "--exit-zero-always",
         *[str(tmp_path / f"page{i}.html") for i in range(len(pages))]],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{names.get(m.get('url'), m.get('url'))}: {m['message']} ({m.get('extract', '').strip()[:80]})"
        for m in messages
        if m["type"] == "error"
    ]


def _pages_with_errors(client, slug: str, token: str) -> dict[str, str]:
    """Forms after a rejected submit: the field errors are part of the page."""
    pages = {}
    register = f"/e/{slug}/register"
    response = client.post(register, data={"csrf_token": csrf_token(client, register)})
    pages[f"{register} (rejected)"] = response.get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": "x"})
    pages["/login (rejected)"] = response.get_data(as_text=True)
    private = f"/e/{slug}/r/{token}"
    response = client.post(private, data={"csrf_token": csrf_token(client, private), "name": ""})
    pages[f"{private} (rejected)"] = response.get_data(as_text=True)
    return pages


def test_public_and_participant_pages_are_valid_html(client, demo_forum, tmp_path):
    slug, token = demo_forum["slug"], demo_forum["registration"].token
    pages = {}
    for lang in ("kk", "ru", "en"):
        client.get(f"/?lang={lang}")
        found = crawl(client, ["/", f"/e/{slug}/", f"/e/{slug}/register", f"/e/{slug}/r/{token}", "/login"], limit=60)
        pages.update({f"{path} [{lang}]": html for path, html in found.items()})
    pages.update(_pages_with_errors(client, slug, token))
    assert len(pages) > 30
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors[:40])


def test_organiser_pages_are_valid_html(organiser_client, demo_forum, tmp_path):
    pages = crawl(organiser_client, ["/manage/", f"/manage/e/{demo_forum['slug']}/"], limit=150)
    assert len(pages) > 30
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors[:40])


def test_field_errors_are_linked_to_their_fields(client, demo_forum):
    """A screen reader reads a field's error with the field (aria-describedby), in every kind
    of field: text inputs, selects, groups of radio buttons, and the three-language fields."""
    from lxml import html as lxml_html

    slug = demo_forum["slug"]
    register = f"/e/{slug}/register"
    page = client.post(register, data={"csrf_token": csrf_token(client, register), "email": "not an e-mail"})
    document = lxml_html.fromstring(page.get_data(as_text=True))
    errors = document.xpath("//p[@class='error'][@id]")
    assert len(errors) >= 3
    for error in errors:
        described = document.xpath(f"//*[contains(concat(' ', @aria-describedby, ' '), ' {error.get('id')} ')]")
        assert described, f"nothing points at error {error.get('id')}: {error.text_content()}"
    email = document.get_element_by_id("email")
    assert email.get("aria-invalid") == "true" and email.get("aria-describedby") == "email-error"


def test_the_participants_new_pages_are_valid_html(client, demo_forum, tmp_path):
    """The full-event notice, a cancelled private page offering "register again", the private
    page with its facts and certificates, and the verification page of a revoked certificate."""
    from forumapp.awards import services as awards
    from forumapp.extensions import db
    from forumapp.registration import services
    from forumapp.timeutil import utcnow

    slug, registration = demo_forum["slug"], demo_forum["registration"]
    settings = services.settings_for(registration.event)
    settings.capacity = 1
    db.session.commit()
    registration.checked_in_at = utcnow()
    db.session.commit()
    certificates = awards.issue(registration.event, "participation")
    pages = {}
    for lang in ("kk", "ru", "en"):
        pages[f"register full [{lang}]"] = client.get(f"/e/{slug}/register?lang={lang}").get_data(as_text=True)
        pages[f"private [{lang}]"] = client.get(f"/e/{slug}/r/{registration.token}?lang={lang}").get_data(as_text=True)
    assert "notice-full" in pages["register full [en]"] and "my-certificates" in pages["private [en]"]
    replacement = awards.reissue(certificates[0])
    pages["verify revoked"] = client.get(f"/verify/{certificates[0].code}?lang=kk").get_data(as_text=True)
    pages["verify valid"] = client.get(f"/verify/{replacement.code}?lang=kk").get_data(as_text=True)
    services.cancel(registration)
    pages["private cancelled"] = client.get(f"/e/{slug}/r/{registration.token}?lang=en").get_data(as_text=True)
    assert "/again" in pages["private cancelled"]
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors[:40])
