"""Large badge batches are printed by a worker (a print job), followed on a job page and
downloaded from the shared storage; small ones still come within the request."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from forumapp.awards.models import PrintJob
from forumapp.extensions import db
from forumapp.registration import badge_jobs
from forumapp.registration.models import Registration
from tests.conftest import csrf_token, make_event
from tests.registration.checkin_factories import make_registration

BADGES = "/manage/e/test-forum/badges"


@pytest.fixture
def crowd(app, monkeypatch):
    """More participants than are printed within the request (the limit made small for speed)."""
    monkeypatch.setattr(badge_jobs, "INLINE_LIMIT", 3)
    monkeypatch.setattr(badge_jobs, "CHUNK", 4)
    event = make_event()
    for n in range(9):
        make_registration(event, f"Гүлмира Уақытова {n}", organisation="«Жасампаз»", email=f"p{n}@example.kz")
    return event


def print_badges(client, **choice):
    data = {"csrf_token": csrf_token(client, BADGES), "layout": "a6", "order": "name", "status": "confirmed",
            "category": "", "qr": "1", **choice}
    return client.post(f"{BADGES}.pdf", data=data)


def test_a_large_batch_is_printed_by_a_worker_and_downloaded_from_its_job_page(admin_client, crowd):
    response = print_badges(admin_client)
    assert response.status_code == 303 and "/badges/jobs/" in response.headers["Location"]
    job_page = admin_client.get(response.headers["Location"])
    assert job_page.status_code == 200 and "9 of 9 badges" in job_page.get_data(as_text=True)
    # The same job box as certificates': every element print-job.js fills in is there.
    for element in ("job-status", "job-progress", "job-text", "job-left", "job-error", "job-refused", "job-download"):
        assert f'id="{element}"' in job_page.get_data(as_text=True), element
    status = admin_client.get(response.headers["Location"] + ".json").get_json()
    assert (status["status"], status["done"], status["total"]) == ("done", 9, 9)
    assert status["status_label"] == "done" and status["seconds_left"] is None
    pdf = admin_client.get(status["download"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    assert len(pages) == 9  # three chunks of four, three and... joined in order into one document
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert all(f"Гүлмира Уақытова {n}" in text for n in range(9))


def test_progress_is_reported_after_each_chunk(app, crowd):
    with app.test_request_context():
        job = badge_jobs.start(crowd, list(db.session.scalars(db.select(Registration).order_by(Registration.id))),
                               badge_jobs.BadgeOptions())
    seen = []
    rendered, total = badge_jobs.render_job(db.session.get(PrintJob, job.id), seen.append)
    assert seen == [4, 8, 9] and total == 9 and rendered.page_count == 9


def test_the_same_batch_again_reuses_the_printed_pdf_and_a_changed_name_prints_anew(admin_client, crowd):
    first = print_badges(admin_client).headers["Location"]
    assert print_badges(admin_client).headers["Location"] == first
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 1
    registration = db.session.scalar(db.select(Registration).order_by(Registration.id))
    registration.full_name = "Әсел Нұрланқызы"
    db.session.commit()
    assert print_badges(admin_client).headers["Location"] != first


def test_a_link_to_a_large_batch_does_not_start_a_job(admin_client, crowd):
    response = admin_client.get(f"{BADGES}.pdf?layout=a6", follow_redirects=True)
    assert "9 badges: print them with the button below" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 0


def test_a_small_batch_still_comes_within_the_request(admin_client, crowd):
    response = print_badges(admin_client, status="waiting")  # nobody is waiting
    assert response.status_code == 302
    make_registration(crowd, "Waiting Person", status="waiting", email="w@example.kz")
    response = print_badges(admin_client, status="waiting")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_a_badge_job_is_reached_only_through_its_own_event_and_kind(admin_client, crowd):
    location = print_badges(admin_client).headers["Location"]
    job_id = int(location.rsplit("/", 1)[1])
    other = make_event(slug="other-forum")
    db.session.commit()
    assert admin_client.get(f"/manage/e/{other.slug}/badges/jobs/{job_id}").status_code == 404
    certificates = PrintJob(event_id=crowd.id, scope="kind:thanks", fingerprint="1" * 64, status="done")
    db.session.add(certificates)
    db.session.commit()
    assert admin_client.get(f"{BADGES}/jobs/{certificates.id}").status_code == 404
