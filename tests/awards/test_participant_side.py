"""The participant's side of certificates: their own certificates on their private page, a
verification page that cannot be misread, and Kazakh certificates whose verb follows the name."""

from __future__ import annotations

from forumapp.awards import services
from forumapp.awards.models import Certificate
from forumapp.extensions import db
from forumapp.timeutil import utcnow
from tests.awards.conftest import BASE, pdf_pages, post
from tests.registration.checkin_factories import make_registration


def _participation(event, admin_client, **fields):
    came = make_registration(
        event, "Әсел Нұрланқызы", organisation="ТОО «Жібек жолы»", checked_in_at=utcnow(), **fields
    )
    post(admin_client, f"{BASE}/issue", {"kind": "participation"}, token_from=f"{BASE}/")
    [certificate] = db.session.scalars(db.select(Certificate).filter_by(kind="participation")).all()
    return came, certificate


def test_a_participant_downloads_their_own_certificate_from_the_private_page(client, admin_client, ceremony):
    event = ceremony["event"]
    other = make_registration(event, "Ержан Сәрсенбаев")  # registered, never came: no certificate
    came, certificate = _participation(event, admin_client)
    page = client.get(f"/e/{event.slug}/r/{came.token}?lang=en").get_data(as_text=True)
    link = f"/e/{event.slug}/r/{came.token}/certificates/{certificate.id}.pdf"
    assert "Your certificates" in page and link in page
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    [text] = pdf_pages(response.data)
    assert "Әсел Нұрланқызы" in text and certificate.number in text

    # Nobody else's link opens it, and a revoked certificate is no longer offered.
    assert client.get(f"/e/{event.slug}/r/{other.token}/certificates/{certificate.id}.pdf").status_code == 404
    assert "Your certificates" not in client.get(f"/e/{event.slug}/r/{other.token}?lang=en").get_data(
        as_text=True
    )
    services.revoke(certificate)
    assert client.get(link).status_code == 404
    assert link not in client.get(f"/e/{event.slug}/r/{came.token}").get_data(as_text=True)


def test_the_verification_page_tells_valid_from_revoked_beyond_a_glyph(client, admin_client, ceremony):
    event = ceremony["event"]
    came, certificate = _participation(event, admin_client)
    valid = client.get(f"/verify/{certificate.code}?lang=en").get_data(as_text=True)
    assert 'class="verify-valid"' in valid and 'class="verify-status valid"' in valid
    for text in (
        "Valid",
        "Issued to",
        "Әсел Нұрланқызы",
        "Issued by",
        "the organisers of Light Industry Forum",
        "Event dates",
        "9–10 June 2016",
        "Issued on",
    ):
        assert text in valid, text
    assert "Revoked" not in valid

    response = post(
        admin_client, f"{BASE}/certificates/{certificate.id}/reissue", {}, token_from=f"{BASE}/certificates"
    )
    assert response.status_code in (302, 303)
    db.session.expire_all()
    old = db.session.get(Certificate, certificate.id)
    replacement = db.session.get(Certificate, old.replaced_by_id)
    revoked = client.get(f"/verify/{old.code}?lang=en").get_data(as_text=True)
    assert 'class="verify-revoked"' in revoked and 'class="verify-status revoked"' in revoked
    assert "This certificate is no longer valid." in revoked and "It was revoked on" in revoked
    assert f"/verify/{replacement.code}" in revoked and replacement.number in revoked


def test_the_verification_styles_differ(app):
    css = (app.static_folder and open(f"{app.static_folder}/css/app.css", encoding="utf-8").read()) or ""
    valid = css[css.index(".verify-status.valid") :].split("}")[0]
    revoked = css[css.index(".verify-status.revoked") :].split("}")[0]
    assert "background" in valid and "background" in revoked and valid.split("{")[1] != revoked.split("{")[1]


def test_the_kazakh_certificate_puts_the_verb_after_the_name(admin_client, ceremony):
    event = ceremony["event"]
    services.issue(event, "award")
    certificate = db.session.scalars(
        db.select(Certificate).filter_by(kind="award").order_by(Certificate.id)
    ).first()
    response = admin_client.get(f"{BASE}/certificates/{certificate.id}.pdf")
    [text] = pdf_pages(response.data)
    name = certificate.name["kk"]
    assert name in text and "марапатталады" in text
    kazakh = text[: text.index(certificate.name["ru"])] if certificate.name["ru"] in text else text
    assert kazakh.index(name) < kazakh.index(
        "марапатталады"
    ), "Kazakh is verb-final: the verb follows the name"
    assert "марапатталады " + name not in text
