"""A certificate's verify address (printed and in its QR code) is on the configured public
address, whatever Host the organiser's request came under."""

import pytest

from forumapp.awards import rendering
from forumapp.documents import stamping
from tests.awards.conftest import BASE, pdf_pages, post
from tests.awards.test_certificates import issue, kazakh_russian_design

PUBLIC_URL = "https://forum.example.kz/"


@pytest.fixture
def qr_values(monkeypatch):
    """Every value drawn as a QR code, by a single certificate (rendering) or a stamped batch."""
    drawn = []
    original = stamping.make_qr

    def recording(value):
        drawn.append(value)
        return original(value)

    monkeypatch.setattr(stamping, "make_qr", recording)
    monkeypatch.setattr(rendering, "make_qr", recording)
    return drawn


def test_the_verify_url_and_its_qr_code_use_the_public_address(app, admin_client, ceremony, monkeypatch, qr_values):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)  # requests still come as forum.test
    kazakh_russian_design(admin_client)
    certificates = issue(admin_client, ceremony)
    first = certificates[0]
    page = pdf_pages(admin_client.get(f"{BASE}/certificates/{first.id}.pdf").data)[0].replace(" ", "")
    assert f"{PUBLIC_URL}verify/{first.code}" in page
    assert "forum.test" not in page
    assert f"{PUBLIC_URL}verify/{first.code}" in qr_values
    batch = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
                 token_from=ceremony["page"])
    assert batch.status_code == 200
    assert {f"{PUBLIC_URL}verify/{c.code}" for c in certificates} <= set(qr_values)
    assert all(value.startswith(PUBLIC_URL) for value in qr_values), qr_values


def test_a_batch_printed_in_the_background_uses_the_public_address_too(app, admin_client, ceremony, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)  # requests still come as forum.test
    kazakh_russian_design(admin_client)
    certificates = issue(admin_client, ceremony)
    job = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id,
                                               "background": "1"}, token_from=ceremony["page"])
    assert job.status_code == 302 and "/jobs/" in job.headers["Location"]  # printed by the worker's task
    status = admin_client.get(job.headers["Location"] + ".json").get_json()
    text = "".join(pdf_pages(admin_client.get(status["download"]).data)).replace(" ", "")
    assert all(f"{PUBLIC_URL}verify/{c.code}" in text for c in certificates)
    assert "forum.test" not in text
