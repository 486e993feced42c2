"""Adding and editing a nomination look different; the certificates list is searched, filtered
and paged; print jobs say their state in the reader's language and how long is left."""

from __future__ import annotations

import re
from datetime import timedelta

from forumapp.awards import listing
from forumapp.awards.models import Certificate, PrintJob
from forumapp.extensions import db
from forumapp.timeutil import utcnow
from tests.awards.conftest import BASE, post
from tests.awards.test_certificates import issue


def _submit_labels(html: str) -> list[str]:
    return re.findall(r'<button type="submit">([^<]+)</button>', html)


def test_the_edit_form_of_a_nomination_is_not_the_add_form(admin_client, ceremony):
    add_page = admin_client.get(ceremony["page"]).get_data(as_text=True)
    edit_page = admin_client.get(f"{BASE}/nominations/{ceremony['nominations'][0]}").get_data(as_text=True)
    assert "Add a new nomination" in add_page and "Add the nomination" in _submit_labels(add_page)
    assert "Edit this nomination" in edit_page and "Save the changes to this nomination" in _submit_labels(edit_page)
    assert "Add the nomination" not in _submit_labels(edit_page)
    assert 'class="edit-form"' in edit_page and "#add-nomination" in edit_page
    # After adding, the page the organiser lands on says what happened.
    response = post(admin_client, ceremony["page"], {"title-ru": "Третья", "title-kk": "", "title-en": ""})
    landed = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was added" in landed and "Edit this nomination" in landed


def test_the_certificates_list_searches_filters_and_pages(admin_client, ceremony, monkeypatch):
    issued = issue(admin_client, ceremony)
    base = f"{BASE}/certificates"
    page = admin_client.get(f"{base}?q=kazlegprom").get_data(as_text=True)  # any language, any case
    assert "Kazlegprom" in page and "Uakhitova" not in page and "Certificates found: 1" in page
    assert "Kazlegprom" in admin_client.get(f"{base}?q=КАЗЛЕГ").get_data(as_text=True)
    assert issued[0].number in admin_client.get(f"{base}?q={issued[0].number}").get_data(as_text=True)
    post(admin_client, f"{BASE}/certificates/{issued[0].id}/revoke", {}, token_from=base)
    revoked = admin_client.get(f"{base}?status=revoked").get_data(as_text=True)
    assert issued[0].number in revoked and issued[1].number not in revoked
    assert "No certificates found." in admin_client.get(f"{base}?kind=thanks").get_data(as_text=True)
    assert issued[1].number in admin_client.get(f"{base}?ceremony={ceremony['item'].id}").get_data(as_text=True)
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    first = admin_client.get(base).get_data(as_text=True)
    second = admin_client.get(f"{base}?page=2").get_data(as_text=True)
    assert "Next page" in first and "Previous page" in second
    numbers = sorted(c.number for c in db.session.scalars(db.select(Certificate)))
    assert [n for n in numbers if n in first or n in second] == numbers
    for junk in ("page=x", "ceremony=x", "ceremony=999999", "status=lost", "kind=<b>", "q=" + "я" * 500):
        assert admin_client.get(f"{base}?{junk}").status_code == 200
    # Phones: each cell says which column it is.
    assert 'data-label="Number"' in first and 'data-label="Status"' in first


def test_a_print_job_says_its_state_in_the_readers_language_and_the_time_left(admin_client, ceremony):
    event = ceremony["event"]
    job = PrintJob(event_id=event.id, scope="kind:award", fingerprint="1" * 64, status="running", done=6, total=24,
                   created_at=utcnow() - timedelta(seconds=12))
    db.session.add(job)
    db.session.commit()
    status = admin_client.get(f"{BASE}/jobs/{job.id}.json").get_json()
    assert status["status_label"] == "printing" and 30 <= status["seconds_left"] <= 40
    russian = admin_client.get(f"{BASE}/jobs/{job.id}.json?lang=ru").get_json()
    assert russian["status"] == "running" and russian["status_label"] != "printing"
    job.status, job.done = "done", 24
    db.session.commit()
    assert admin_client.get(f"{BASE}/jobs/{job.id}.json").get_json()["seconds_left"] is None
    overview = admin_client.get(f"{BASE}/?lang=kk").get_data(as_text=True)
    assert "done 24/24" not in overview and " 24/24" not in overview
