"""Tools for the hostile-input tests: fill every text input of a form the way a browser would
(with the hostile text), walk the pages a user can reach, and look for injected markup."""

from __future__ import annotations

import io
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

KAZAKH = "Гүлмира Уақытова"
# Each piece would become an element of its own if it reached a page as markup; `"'>` first, so
# that a value put unescaped into an attribute closes it and the <img> after it becomes visible.
HOSTILE = f"\"'><form action=x><img src=x><a href=x>{KAZAKH}</a>"
SHORT = f"\"'><img src=x>{KAZAKH[:7]}"  # for fields of 30 characters (the event code)
HOSTILE_URL = f"https://example.kz/?q={HOSTILE}"
INJECTED = ("//form[@action='x']", "//img[@src='x']", "//a[@href='x']")
TEXT_TYPES = {"", "text", "search", "tel"}


class FormNotFound(AssertionError):
    pass


def parse(body: str):
    # libxml2 stops at a NUL byte; browsers read it as U+FFFD, and so do we.
    return lxml_html.document_fromstring((body or "<html></html>").replace("\x00", "\ufffd"))


def injected_elements(body: str) -> list[str]:
    """The hostile elements found in the page as elements (not as text)."""
    document = parse(body)
    return [lxml_html.tostring(e, encoding="unicode")[:80] for xpath in INJECTED for e in document.xpath(xpath)]


def find_form(document, action_contains: str | None = None, index: int = 0):
    forms = [f for f in document.forms if f.method.upper() == "POST" and not (f.action or "").endswith("/logout")]
    if action_contains is not None:
        forms = [f for f in forms if (f.action or "").endswith(action_contains)]
    else:  # the page's main form: the one with the most inputs
        forms = sorted(forms, key=lambda f: -len(f.inputs))
    if len(forms) <= index:
        raise FormNotFound(f"no POST form with an action ending in {action_contains!r}")
    return forms[index]


def hostile_values(form, overrides: dict) -> dict:
    """What a browser would send, with the hostile text in every free-text input."""
    data: dict[str, list[str]] = {}

    def put(name, value):
        data.setdefault(name, []).append(value)

    for element in form.inputs:
        name = element.name
        if not name:
            continue
        if name in overrides:
            if name not in data:
                value = overrides[name]
                for v in value if isinstance(value, list) else [value]:
                    put(name, v)
            continue
        tag = element.tag
        kind = (element.get("type") or "").lower() if tag == "input" else tag
        if tag == "textarea":
            put(name, HOSTILE)
        elif tag == "select":
            options = [o for o in element.xpath(".//option") if o.get("value") not in (None, "", "0")]
            chosen = [o.get("value") for o in element.xpath(".//option[@selected]")]
            if element.multiple:
                for value in chosen:
                    put(name, value)
            elif chosen and chosen[0] not in ("", "0"):
                put(name, chosen[0])
            elif options:
                put(name, options[0].get("value"))
        elif kind in TEXT_TYPES:
            put(name, HOSTILE)
        elif kind == "url":
            put(name, HOSTILE_URL)
        elif kind == "email":
            put(name, "hostile@example.kz")
        elif kind in ("checkbox", "radio"):
            if element.checked:
                put(name, element.get("value") or "y")
        elif kind == "file" or kind == "submit" or kind == "password":
            continue
        else:  # hidden, number, date, time, colour: as the page gave them
            put(name, element.get("value") or "")
    return data


def submit(client, page: str, *, action: str | None = None, index: int = 0, overrides: dict | None = None,
           expect=(302, 303)):
    """Open `page`, fill its form, post it; returns the response (asserts it was accepted)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    document = parse(response.get_data(as_text=True))
    form = find_form(document, action, index)
    target = urljoin(page, form.action or page)
    response = client.post(target, data=hostile_values(form, overrides or {}))
    if expect and response.status_code not in expect:
        errors = [e.text_content() for e in parse(response.get_data(as_text=True)).xpath("//*[contains(@class,'error')]")]
        raise AssertionError(f"{target}: {response.status_code} {errors}")
    return response


def crawl(client, starts: list[str], *, limit: int = 400, skip=("/logout",)) -> dict[str, object]:
    """GET every same-site page reachable from `starts` by links; returns url -> response."""
    seen: dict[str, object] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or any(s in url for s in skip):
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        for href in parse(response.get_data(as_text=True)).xpath("//a/@href"):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc not in ("", "forum.test") or parts.scheme not in ("", "http"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and target.startswith("/") and not target.startswith("/static/"):
                queue.append(target)
    return seen


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
