"""Markup typed into any field stays text everywhere: pages, warnings, flashes, e-mails, PDFs and
exports. An organiser of another event who renames a person to `<form action=../team ...>` must
not capture the next form (and its CSRF token) on this event's schedule page."""

from __future__ import annotations

import csv
import importlib
import io
import json
import pkgutil
import re

from icalendar import Calendar
from lxml import etree
from openpyxl import load_workbook
from wtforms import Form

from forumapp.extensions import db
from forumapp.registration.models import OutgoingMessage, Registration
from tests.security.hostile import (
    HOSTILE,
    HOSTILE_URL,
    KAZAKH,
    SHORT,
    crawl,
    injected_elements,
    parse,
    pdf_text,
    submit,
)

SLUG = "hostile-forum"
M = f"/manage/e/{SLUG}"


def _created_id(response, pattern: str) -> int:
    match = re.search(pattern, response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _last_id(model) -> int:
    return db.session.scalar(db.select(db.func.max(model.id)))


def build_everything(client) -> dict:
    """Every form of the app, filled through HTTP with the hostile text."""
    from forumapp.awards.models import CertificateDesign, Nomination
    from forumapp.directory.models import Organisation, Person
    from forumapp.programme.models import Hall, ProgrammeItem
    from forumapp.shows.models import Collection
    from forumapp.sponsors.models import SponsorTier

    submit(client, "/manage/organisations/new", overrides={"kind": "fashion_house", "parent_id": "0"})
    organisation_id = _last_id(Organisation)
    submit(client, "/manage/people/new", overrides={"phone": "+7 701 123 45 67", "organisation_id": str(organisation_id)})
    person_id = _last_id(Person)
    submit(client, "/manage/events/new", overrides={
        "slug": SLUG, "starts_on": "2036-06-09", "ends_on": "2036-06-10", "timezone": "Asia/Almaty",
        "locale_fallback": "kk,ru,en", "code": SHORT, "status": "published", "default_locale": "kk",
    })
    submit(client, f"{M}/halls", overrides={"capacity": "10"})
    hall_id = _last_id(Hall)
    submit(client, f"{M}/tracks", overrides={"color": "#4a6fa5"})
    times = {"day": "2036-06-09", "start": "10:00", "end": "11:00", "hall_id": str(hall_id), "status": "published",
             "capacity": "50"}
    items = {}
    for kind in ("plenary", "award_ceremony", "collection_show"):
        submit(client, f"{M}/items/new", overrides={**times, "kind": kind})
        items[kind] = _last_id(ProgrammeItem)
        submit(client, f"{M}/items/{items[kind]}", action="/people",
               overrides={"person_id": str(person_id), "role": "speaker"})
    # someone new, with an organisation, from the item form
    submit(client, f"{M}/items/{items['plenary']}", action="/people/new", overrides={"role": "host"})
    submit(client, f"{M}/team", overrides={"email": "colleague@example.kz", "password": "correct horse battery"})

    # registration: settings, a category, questions of each kind, then a participant
    submit(client, f"{M}/registration/settings", overrides={"opens_at": "", "closes_at": "", "capacity": "",
                                                             "signup_items": [str(items["plenary"])]})
    submit(client, f"{M}/registration/categories")
    submit(client, f"{M}/registration/questions", overrides={"kind": "text"})
    submit(client, f"{M}/registration/questions", overrides={"kind": "single_choice", "choices": f"{HOSTILE}\nB"})
    response = submit(client, f"/e/{SLUG}/register", overrides={
        "email": "participant@example.kz", "phone": "+7 701 123 45 67", "consent": "y", "locale": "kk",
        "items": [str(items["plenary"])],
    })
    token = response.headers["Location"].split("/r/")[1].split("?")[0]
    registration_id = _last_id(Registration)
    submit(client, f"{M}/registrations/{registration_id}", action="/category")  # organisers' category

    # schedule versions: one released, the participant's item moved, a second one released (it
    # e-mails the participant the changelog and the item's title)
    submit(client, f"{M}/releases")
    submit(client, f"{M}/items/{items['plenary']}", overrides={**times, "kind": "plenary", "start": "12:00",
                                                               "end": "13:00"})
    submit(client, f"{M}/releases", overrides={"name": SHORT})

    # awards: a nomination, a laureate, a design with every text, certificates issued
    submit(client, f"{M}/awards/c/{items['award_ceremony']}")
    nomination_id = _last_id(Nomination)
    submit(client, f"{M}/awards/nominations/{nomination_id}", action="/laureates",
           overrides={"person_id": str(person_id), "organisation_id": str(organisation_id),
                      "presenter_id": str(person_id)})
    colours = {"primary": "#8a3b12", "accent": "#8a3b12", "text": "#222222", "paper": "#ffffff",
               "custom_html": "", "custom_css": "", "logo": "", "background": "",
               **{f"signatories-{i}-signature": "" for i in range(3)}}
    # a signature file that is not there: printing warns, naming the signatory
    colours["signatories-0-signature"] = "signatures/not-there.png"
    submit(client, f"{M}/awards/designs/new", overrides=colours)
    design_id = _last_id(CertificateDesign)
    submit(client, f"{M}/awards/designs/{design_id}", overrides=colours)  # and edited
    submit(client, f"{M}/awards/c/{items['award_ceremony']}", action="/design", overrides={"design_id": str(design_id)})
    client.post(f"{M}/awards/issue", data={"kind": "award", "ceremony_item_id": items["award_ceremony"],
                                           "csrf_token": _csrf(client, f"{M}/awards/")})
    submit(client, f"{M}/awards/nominations/{nomination_id}")  # edited
    client.post(f"{M}/awards/c/{items['award_ceremony']}/publish",
                data={"published": "1", "csrf_token": _csrf(client, f"{M}/awards/")})

    # shows: a collection, the show's settings, a segment with music
    submit(client, f"{M}/collections", overrides={"brand_id": str(organisation_id), "year": "2016", "looks": "12"})
    collection_id = _last_id(Collection)
    submit(client, f"{M}/collections/{collection_id}", action="/images", overrides={"image-image": [_png()]})
    submit(client, f"{M}/shows/{items['collection_show']}", action="/segments",
           overrides={"collection_id": str(collection_id), "minutes": "5", "seconds": "0"})

    # partners: the standard tiers, a partner with a link, a renamed tier
    client.post(f"{M}/partners/standard-tiers", data={"csrf_token": _csrf(client, f"{M}/partners/")})
    submit(client, f"{M}/partners/", action="/partners/add",
           overrides={"partner-organisation_id": str(organisation_id), "partner-url": HOSTILE_URL})
    submit(client, f"{M}/partners/tiers/{_last_id(SponsorTier)}")

    # the participant changes their own registration on the private page, asks for the link again
    submit(client, f"/e/{SLUG}/r/{token}", overrides={"phone": "+7 701 123 45 67", "locale": "kk"})
    client.post(f"/e/{SLUG}/register/resend", data={"email": "participant@example.kz",
                                                     "csrf_token": _csrf(client, f"/e/{SLUG}/register")})
    submit(client, f"{M}/shows/{items['collection_show']}", action="/settings")
    # many laureates at once: a pasted row naming a new person and organisation in hostile text
    bulk = f"{M}/awards/c/{items['award_ceremony']}/laureates"
    rows = f"\t{HOSTILE}\t{HOSTILE}\t1\t{HOSTILE}"
    submit(client, bulk, overrides={"rows": rows}, expect=(200,))  # the preview
    response = client.post(bulk, data={"csrf_token": _csrf(client, bulk), "nomination_id": str(nomination_id),
                                       "rows": rows, "step": "add"})
    assert response.status_code == 302 and "/awards/c/" in response.headers["Location"]
    # next year's edition, its title and prefix hostile too
    submit(client, f"{M}/copy", overrides={"slug": "hostile-copy", "starts_on": "2017-06-08", "code": SHORT})
    submit(client, "/login", overrides={"password": HOSTILE}, expect=None)  # a wrong password: still signed in

    # API: a token named with the hostile text (its page answers the form itself, with the secret);
    # a webhook to a public address given as a literal (no DNS), told only of cancellations, which
    # nothing below makes (so nothing is posted)
    submit(client, f"{M}/api-tokens", overrides={"access": "read"}, expect=(200,))
    submit(client, f"{M}/webhooks", overrides={"url": "https://93.184.216.34/hook",
                                               "kinds": ["registration.cancelled"]}, expect=(200,))
    _b2b_in_hostile_text(client, registration_id)
    return {"items": items, "token": token, "registration_id": registration_id, "person_id": person_id,
            "organisation_id": organisation_id}


def _b2b_in_hostile_text(client, registration_id: int) -> None:
    """B2B: the participant and a second one opt in (organisation, offers and seeks in hostile
    text), one asks the other with a hostile message, the other accepts; a session with a
    hostile name; the organiser approves a profile, runs and publishes the schedule, moves the
    meeting to the other table, marks it held; the participant reports an outcome."""
    from forumapp.matchmaking.models import Meeting, MeetingRequest
    from tests.matchmaking.helpers import answer, opt_in, page_token, request_meeting

    submit(client, f"/e/{SLUG}/register", overrides={"email": "second@example.kz", "consent": "y", "locale": "ru",
                                                     "phone": "+7 701 765 43 21", "items": []})
    first = db.session.get(Registration, registration_id)
    second = db.session.scalar(db.select(Registration).filter_by(email="second@example.kz"))
    entries = {"offers": [("workwear", HOSTILE)], "seeks": [("workwear", HOSTILE)]}
    asker, asked = opt_in(client, first, HOSTILE, **entries), opt_in(client, second, HOSTILE, **entries)
    base = f"{M}/b2b"
    token = page_token(client, base)
    assert client.post(f"{base}/profiles/{asker.id}", data={"csrf_token": token, "action": "approve"}).status_code == 302
    assert client.post(f"{base}/sessions/new", data={
        "csrf_token": page_token(client, f"{base}/sessions/new"), "name-en": HOSTILE, "name-kk": KAZAKH, "hall": "0",
        "day": "2036-06-10", "starts": "14:00", "ends": "15:00", "slot_minutes": "20", "tables": "2", "breaks": "",
    }).status_code == 302
    assert request_meeting(client, first, asked, message=HOSTILE).status_code == 302
    request = db.session.scalar(db.select(MeetingRequest).order_by(MeetingRequest.id.desc()))
    assert answer(client, second, request.id).status_code == 302
    for step in ("run", "publish"):
        assert client.post(f"{base}/schedule/{step}", data={"csrf_token": token}).status_code == 302, step
    meeting = db.session.scalar(db.select(Meeting).filter_by(request_id=request.id))
    token = page_token(client, f"{base}/matrix")
    moved = client.post(f"{base}/meetings/{meeting.id}/move",
                        data={"csrf_token": token, "cell": "0", "table": str(3 - (meeting.table_number or 1))})
    assert moved.status_code == 302, moved.get_data(as_text=True)[:2000]
    assert client.post(f"{base}/meetings/{meeting.id}/door",
                       data={"csrf_token": token, "attendance": "held"}).status_code == 302
    outcome = f"/e/{SLUG}/r/{first.token}/b2b/meetings/{meeting.id}/outcome"
    assert client.post(outcome, data={"csrf_token": page_token(client, f"/e/{SLUG}/r/{first.token}/b2b"),
                                      "outcome": "contract"}).status_code == 302


def _design_of(slug: str) -> int:
    """The event's own design (the copy made at the end of build_everything has one too)."""
    from forumapp.awards.models import CertificateDesign
    from forumapp.programme.models import Event

    return db.session.scalar(db.select(db.func.max(CertificateDesign.id)).join(Event).where(Event.slug == slug))


def _png() -> tuple:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 60), (138, 59, 18)).save(out, "PNG")
    out.seek(0)
    return (out, "look.png")


def _csrf(client, page: str) -> str:
    return parse(client.get(page).get_data(as_text=True)).xpath("//input[@name='csrf_token']/@value")[0]


def _every_form_class() -> set[str]:
    """The form classes declared in forumapp's forms modules."""
    import forumapp
    from forumapp.forms import BaseForm, SubForm

    for module in pkgutil.walk_packages(forumapp.__path__, "forumapp."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {c.__qualname__ for base in (BaseForm, SubForm) for c in below(base)
            if c.__module__.startswith("forumapp.") and "<locals>" not in c.__qualname__}


def test_hostile_text_in_every_field_never_renders_as_markup(admin_client, monkeypatch):
    client = admin_client
    validated: set[str] = set()
    original = Form.validate

    def recording(self, *args, **kwargs):
        if not hasattr(self, "is_submitted") or self.is_submitted():  # nested forms have no is_submitted
            validated.update(c.__qualname__ for c in type(self).__mro__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Form, "validate", recording)
    made = build_everything(client)
    # a form added later fails here until build_everything fills it in
    assert _every_form_class() - validated == set()

    pages = crawl(client, ["/", "/manage/", "/organisations/", f"/e/{SLUG}/", f"/e/{SLUG}/r/{made['token']}",
                           f"{M}/registrations/{made['registration_id']}", f"{M}/outbox",
                           f"/e/{SLUG}/awards/{made['items']['award_ceremony']}"])
    html_pages = {url: r for url, r in pages.items() if r.status_code == 200 and r.mimetype == "text/html"}
    assert len(html_pages) > 40, sorted(pages)
    broken = {url: r.status_code for url, r in pages.items() if r.status_code >= 500}
    assert not broken, broken
    injected = {url: found for url, r in html_pages.items() if (found := injected_elements(r.get_data(as_text=True)))}
    assert not injected, injected

    # the literal text is visible where it was typed, Kazakh letters included
    schedule = parse(client.get(f"{M}/?lang=en").get_data(as_text=True)).text_content()  # the crawl took ?lang= links
    assert "is in two places at once" in schedule  # the warnings that once carried the markup
    assert HOSTILE in schedule
    for url in (f"/e/{SLUG}/", f"/e/{SLUG}/programme", f"/manage/people/{made['person_id']}",
                f"/e/{SLUG}/awards/{made['items']['award_ceremony']}"):
        assert KAZAKH in parse(client.get(url).get_data(as_text=True)).text_content(), url

    # flashes: the saved name comes back as text on the next page
    response = submit(client, f"/manage/people/{made['person_id']}", overrides={"phone": "+7 701 123 45 67"})
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert not injected_elements(followed)
    assert f"Saved {HOSTILE}" in parse(followed).text_content()

    # e-mails: plain text, the name as it was typed (not HTML-escaped)
    messages = db.session.scalars(db.select(OutgoingMessage)).all()
    assert messages
    assert any(HOSTILE in m.body_text for m in messages)
    assert all("&lt;" not in m.body_text and "&#" not in m.body_text for m in messages)
    # the schedule version's e-mail: its HTML part escapes the changelog and the titles
    [changed] = [m for m in messages if m.kind == "schedule_changed"]
    assert HOSTILE in changed.body_text and not injected_elements(changed.body_html)
    assert HOSTILE in parse(changed.body_html).text_content()

    # PDFs read back: the text is there, literally
    for url in (f"/e/{SLUG}/programme.pdf", f"/e/{SLUG}/r/{made['token']}/ticket.pdf",
                f"/e/{SLUG}/shows/{made['items']['collection_show']}/leaflet.pdf",
                f"{M}/shows/{made['items']['collection_show']}/run-of-show.pdf", f"{M}/badges.pdf",
                f"{M}/awards/c/{made['items']['award_ceremony']}/running-order.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf", url
        text = pdf_text(response.data)
        assert "<img src=x>" in text and "Гүлмира" in text, (url, text[:300])

    # exports: the value is data, Kazakh survives
    rows = list(csv.reader(io.StringIO(client.get(f"{M}/registrations/export.csv").get_data(as_text=True))))
    assert any(HOSTILE in cell for row in rows for cell in row)
    book = load_workbook(io.BytesIO(client.get(f"{M}/registrations/export.xlsx").data))
    assert any(HOSTILE == cell.value for row in book.active.iter_rows() for cell in row)
    calendar = Calendar.from_ical(client.get(f"/e/{SLUG}/programme.ics").data)
    assert any(str(e.get("summary")) == HOSTILE for e in calendar.walk("VEVENT"))
    document = json.loads(client.get(f"/e/{SLUG}/schedule.json").data)
    assert HOSTILE in json.dumps(document, ensure_ascii=False)
    xml = etree.fromstring(client.get(f"/e/{SLUG}/schedule.xml").data)
    assert HOSTILE in xml.xpath("//event/title/text()")

    # certificates and the design preview, read back
    from forumapp.awards.models import Certificate

    certificate_id = _last_id(Certificate)
    assert certificate_id, "no certificate was issued"
    for url in (f"{M}/awards/certificates/{certificate_id}.pdf",
                f"{M}/awards/designs/{_design_of(SLUG)}/preview.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = pdf_text(response.data)
        assert "<img src=x>" in text and "Гүлмира" in text, (url, text[:300])

    # the print flash names the signatory whose image is missing: as text
    response = client.post(f"{M}/awards/print", data={"kind": "award", "ceremony_item_id": made["items"]["award_ceremony"],
                                                     "csrf_token": _csrf(client, f"{M}/awards/")})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    page = client.get(f"{M}/awards/?lang=en").get_data(as_text=True)
    assert "is missing" in page and not injected_elements(page)

    # check-in: a search and a scanned code echo what was typed, as text
    page = client.get(f"{M}/checkin", query_string={"q": HOSTILE}).get_data(as_text=True)
    assert not injected_elements(page) and HOSTILE in parse(page).text_content()
    response = client.post(f"{M}/checkin", data={"code": HOSTILE, "csrf_token": _csrf(client, f"{M}/checkin")})
    assert response.status_code < 500 and not injected_elements(response.get_data(as_text=True))
