"""Issuing, downloading, batch printing, verifying, revoking and reissuing certificates."""

import io
import re
import time

from pypdf import PdfReader

from forumapp.awards.models import Certificate, CertificateDesign, PrintJob
from forumapp.extensions import db
from tests.awards.conftest import BASE, pdf_pages, post, stamped

LAUREATE_NAMES = ["Гүлмира Уақытова", "«Казлегпром»", "Ержан"]


def issue(client, ceremony, kind="award"):
    response = post(client, f"{BASE}/issue", {"kind": kind, "ceremony_item_id": ceremony["item"].id},
                    token_from=ceremony["page"])
    assert response.status_code == 302
    return db.session.scalars(db.select(Certificate).filter_by(kind=kind).order_by(Certificate.serial)).all()


def kazakh_russian_design(client):
    response = post(client, f"{BASE}/designs/new", {
        "name": "Екі тілде", "base": "classic_landscape", "languages": "kk,ru", "primary": "#8a3b12",
        "accent": "#b08d57", "text": "#1d2433", "paper": "#fbf7ef",
        "signatories-0-name": "Гүлмира Уақытова", "signatories-0-position": "Төраға",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(CertificateDesign))


def test_issuing_numbers_certificates_from_the_event_code_in_ceremony_order(admin_client, ceremony):
    certificates = issue(admin_client, ceremony)
    assert [c.number for c in certificates] == ["TF-2016-00001", "TF-2016-00002", "TF-2016-00003"]
    assert [c.name.get("kk") or c.name.get("ru") for c in certificates][:2] == LAUREATE_NAMES[:2]
    assert len({c.code for c in certificates}) == 3 and all(len(c.code) >= 20 for c in certificates)
    assert issue(admin_client, ceremony) == certificates, "issuing again adds nobody twice"


def test_one_certificate_downloads_with_names_number_and_qr_link(admin_client, ceremony):
    kazakh_russian_design(admin_client)
    first = issue(admin_client, ceremony)[0]
    response = admin_client.get(f"{BASE}/certificates/{first.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) == 1
    for text in ("Гүлмира Уақытова", "Гульмира Уахитова", "TF-2016-00001", f"/verify/{first.code}",
                 "Мектеп формасының үздік отандық өндірушісі", "Лучший отечественный производитель школьной формы"):
        assert text in pages[0], text
    fonts = {font for page in PdfReader(io.BytesIO(response.data)).pages
             for font in page["/Resources"]["/Font"].values() for font in [font.get_object()["/BaseFont"]]}
    assert fonts and all(name.split("+")[1].startswith("Forum-") for name in fonts), fonts


def test_batch_prints_one_page_per_certificate_in_ceremony_order(admin_client, ceremony):
    certificates = issue(admin_client, ceremony)
    response = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
                    token_from=ceremony["page"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) == len(certificates) == 3
    for page, certificate in zip(pages, certificates, strict=True):
        assert certificate.number in page
    assert "Гульмира Уахитова" in pages[0] and "«Казлегпром»" in pages[1]
    assert "<b>Жирный</b> <script>alert(1)</script>Ержан" in pages[2], "HTML in a name is printed as text"


def test_nomination_print_holds_only_its_laureates(admin_client, ceremony):
    issue(admin_client, ceremony)
    second = ceremony["nominations"][1]
    response = post(admin_client, f"{BASE}/print", {"kind": "award", "nomination_id": second},
                    token_from=f"{BASE}/nominations/{second}")
    pages = pdf_pages(response.data)
    assert len(pages) == 1 and "TF-2016-00003" in pages[0]


def test_large_batch_runs_as_a_job_with_progress_and_is_reused_until_the_data_changes(app, admin_client, ceremony):
    issue(admin_client, ceremony)
    data = {"kind": "award", "ceremony_item_id": ceremony["item"].id, "background": "1"}
    response = post(admin_client, f"{BASE}/print", data, token_from=ceremony["page"])
    assert response.status_code == 302
    job_url = response.headers["Location"]
    status = admin_client.get(job_url + ".json").get_json()
    assert status["status"] == "done" and status["done"] == status["total"] == 3
    assert "/static/js/print-job." in admin_client.get(job_url).get_data(as_text=True)  # fingerprinted name
    download = admin_client.get(status["download"])
    assert len(pdf_pages(download.data)) == 3
    again = post(admin_client, f"{BASE}/print", data, token_from=ceremony["page"])
    assert again.headers["Location"] == job_url, "the same data reuses the printed PDF"
    certificate = db.session.scalar(db.select(Certificate).order_by(Certificate.serial))
    post(admin_client, f"{BASE}/certificates/{certificate.id}/reissue", {}, token_from=f"{BASE}/certificates")
    changed = post(admin_client, f"{BASE}/print", data, token_from=ceremony["page"])
    assert changed.headers["Location"] != job_url
    assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 2


def test_background_thread_prints_and_the_progress_endpoint_follows_it(app, admin_client, ceremony):
    issue(admin_client, ceremony)
    app.config["JOBS_EAGER"] = False
    response = post(admin_client, f"{BASE}/print",
                    {"kind": "award", "ceremony_item_id": ceremony["item"].id, "background": "1", "archive": "1"},
                    token_from=ceremony["page"])
    job_url = response.headers["Location"]
    deadline = time.monotonic() + 60
    status = admin_client.get(job_url + ".json").get_json()
    assert status["total"] == 3
    while status["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        status = admin_client.get(job_url + ".json").get_json()
    assert status["status"] == "done", status
    data = admin_client.get(status["download"]).data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and b"3" in metadata, "PDF/A-3b metadata is written"
    assert not stamped(reader), "PDF/A is laid out page by page by WeasyPrint, never stamped"


def test_verification_page_shows_valid_then_revoked_and_the_replacement(client, admin_client, ceremony):
    first = issue(admin_client, ceremony)[0]
    page = client.get(f"/verify/{first.code}?lang=ru").get_data(as_text=True)
    assert "Гульмира Уахитова" in page and "Лучший отечественный производитель школьной формы" in page
    assert 'class="verify-status valid"' in page and "TF-2016-00001" in page
    response = post(admin_client, f"{BASE}/certificates/{first.id}/reissue", {}, token_from=f"{BASE}/certificates")
    assert response.status_code == 302
    replacement = db.session.scalar(db.select(Certificate).filter_by(serial=4))
    assert replacement.number == "TF-2016-00004" and replacement.source == first.source
    old = client.get(f"/verify/{first.code}?lang=en").get_data(as_text=True)
    assert 'class="verify-status revoked"' in old and "TF-2016-00004" in old
    assert 'class="verify-status valid"' in client.get(f"/verify/{replacement.code}").get_data(as_text=True)
    second = db.session.scalar(db.select(Certificate).filter_by(serial=2))
    post(admin_client, f"{BASE}/certificates/{second.id}/revoke", {}, token_from=f"{BASE}/certificates")
    assert 'class="verify-status revoked"' in client.get(f"/verify/{second.code}").get_data(as_text=True)
    printed = post(admin_client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
                   token_from=ceremony["page"])
    numbers = re.findall(r"TF-2016-\d{5}", " ".join(pdf_pages(printed.data)))
    assert numbers == ["TF-2016-00004", "TF-2016-00003"], "revoked ones are not printed; ceremony order"


def test_revoking_and_reissuing_ask_first_naming_the_certificate(admin_client, ceremony):
    first = issue(admin_client, ceremony)[0]
    page = admin_client.get(f"{BASE}/certificates?lang=kk").get_data(as_text=True)
    assert f'data-confirm="{first.number} сертификатын кері қайтарып алу керек пе?' in page
    assert f'data-confirm="{first.number} сертификатын қайта беру керек пе?' in page


def test_unknown_verification_codes_are_404(client, ceremony):
    assert client.get("/verify/not-a-real-code").status_code == 404
    assert client.get("/verify/" + "x" * 60).status_code == 404


def test_letters_of_thanks_go_to_speakers_and_moderators(admin_client, ceremony):
    certificates = issue(admin_client, ceremony, kind="thanks")
    assert [c.name["ru"] for c in certificates] == ["Даулет Бакберген"]
    text = pdf_pages(admin_client.get(f"{BASE}/certificates/{certificates[0].id}.pdf?lang=ru").data)[0]
    assert "Пленарное заседание" in text


def test_printing_nothing_says_so(admin_client, ceremony):
    response = post(admin_client, f"{BASE}/print", {"kind": "participation"}, token_from=f"{BASE}/")
    assert response.status_code == 302
    assert "no valid certificates to print" in admin_client.get(f"{BASE}/").get_data(as_text=True)


def print_job_in_chunks_of_one(app, client, ceremony) -> dict:
    """The ceremony's award certificates printed as a job, one certificate per chunk, so the
    chunks go through the worker pool and are joined; the job's status."""
    app.config.update(AWARDS_PARALLEL_FROM=1, AWARDS_CHUNK_SIZE=1)
    try:
        response = post(client, f"{BASE}/print",
                        {"kind": "award", "ceremony_item_id": ceremony["item"].id, "background": "1"},
                        token_from=ceremony["page"])
        return client.get(response.headers["Location"] + ".json").get_json()
    finally:
        del app.config["AWARDS_PARALLEL_FROM"], app.config["AWARDS_CHUNK_SIZE"]


def test_chunks_laid_out_by_the_worker_pool_are_joined_in_order(app, admin_client, ceremony):
    """The path large batches take: several chunks, rendered in worker processes, joined."""
    certificates = issue(admin_client, ceremony) + issue(admin_client, ceremony, kind="thanks")
    status = print_job_in_chunks_of_one(app, admin_client, ceremony)
    assert status["status"] == "done", status
    pages = pdf_pages(admin_client.get(status["download"]).data)
    numbers = [re.search(r"TF-2016-\d{5}", page).group(0) for page in pages]
    assert numbers == [c.number for c in certificates if c.kind == "award"]
    assert "Гульмира Уахитова" in pages[0] and "<b>Жирный</b>" in pages[2]


def test_sponsors_get_letters_of_thanks_and_are_named_on_certificates(admin_client, ceremony):
    from forumapp.sponsors.models import Sponsor, SponsorTier

    tier = SponsorTier(event_id=ceremony["event"].id, name={"ru": "Генеральный партнёр", "en": "General partner"})
    db.session.add(tier)
    db.session.flush()
    db.session.add(Sponsor(event_id=ceremony["event"].id, tier_id=tier.id, organisation_id=ceremony["kazlegprom"].id))
    db.session.commit()
    letters = issue(admin_client, ceremony, kind="thanks")
    assert [c.source.split(":")[0] for c in letters] == ["item_person", "sponsor"], "speakers first, then partners"
    letter = pdf_pages(admin_client.get(f"{BASE}/certificates/{letters[1].id}.pdf?lang=ru").data)[0]
    assert "«Казлегпром»" in letter and "Генеральный партнёр" in letter
    award = issue(admin_client, ceremony)[0]
    text = pdf_pages(admin_client.get(f"{BASE}/certificates/{award.id}.pdf").data)[0]
    assert "Қолдау көрсеткендер: «Казлегпром»" in text, "the design's first language (Kazakh) says who supported the event"


def batches_in_both_designs(client, ceremony):
    """The ceremony's award certificates printed in each built-in design in turn:
    (design, certificates, the batch's PDF)."""
    design = kazakh_russian_design(client)
    certificates = issue(client, ceremony)
    for base in ("classic_landscape", "formal_portrait"):
        design.base = base
        db.session.commit()
        response = post(client, f"{BASE}/print", {"kind": "award", "ceremony_item_id": ceremony["item"].id},
                        token_from=ceremony["page"])
        yield base, certificates, response.data


def test_batch_draws_the_shared_layer_once_under_every_page_in_both_designs(admin_client, ceremony):
    for base, certificates, batch in batches_in_both_designs(admin_client, ceremony):
        reader = PdfReader(io.BytesIO(batch))
        assert len(reader.pages) == len(certificates) == 3, base
        layers = set()
        for page, certificate in zip(reader.pages, certificates, strict=True):
            text = page.extract_text()
            # the shared layer (the signatory's position) and the page's own lines on each page
            for expected in ("Төраға", certificate.number, f"/verify/{certificate.code}"):
                assert expected in text, (base, expected)
            forms = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Form"]
            assert len(forms) == 1, "the shared layer is one Form XObject drawn under the page's own lines"
            layers.add(forms[0].idnum)
        assert len(layers) == 1, "the layer is stored once in the file"
        width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
        assert (width > height) == (base == "classic_landscape")


def text_positions(data: bytes, page_number: int, texts: set[str]) -> dict[str, list[tuple[float, float]]]:
    """Where each line of `texts` starts on a page (x, y in points), read back with pypdf."""
    found: dict[str, list[tuple[float, float]]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in texts:
            x, y = tm[4], tm[5]
            found.setdefault(text.strip(), []).append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    PdfReader(io.BytesIO(data)).pages[page_number].extract_text(visitor_text=visit)
    return found


def test_a_batch_page_puts_each_line_where_the_certificate_downloaded_alone_has_it(admin_client, ceremony):
    """Batches are stamped, a single certificate is laid out by WeasyPrint: the same page."""
    for base, certificates, batch in batches_in_both_designs(admin_client, ceremony):
        for n, certificate in enumerate(certificates):
            single = admin_client.get(f"{BASE}/certificates/{certificate.id}.pdf").data
            lines = {certificate.number, *certificate.name.values(), "Гран-при"}
            expected, stamped = text_positions(single, 0, lines), text_positions(batch, n, lines)
            assert certificate.number in stamped and stamped.keys() == expected.keys(), (base, n)
            for text, places in expected.items():
                # sorted: a signatory with the laureate's name is drawn by the shared layer
                rows = [sorted(found, key=lambda p: (round(p[1]), round(p[0]))) for found in (stamped[text], places)]
                for (x, y), (want_x, want_y) in zip(*rows, strict=True):
                    assert abs(x - want_x) < 2.5 and abs(y - want_y) < 0.5, (base, text, (x, y), (want_x, want_y))


def test_a_batch_the_stamper_cannot_follow_is_laid_out_page_by_page(app, admin_client, ceremony, monkeypatch):
    from forumapp.awards import printing

    monkeypatch.setattr(printing, "mismatches", lambda plan, page, data: ["'Ержан' at (1, 2) where the layout has ..."])
    certificates = issue(admin_client, ceremony)
    data = admin_client.get(print_job_in_chunks_of_one(app, admin_client, ceremony)["download"]).data
    reader = PdfReader(io.BytesIO(data))
    assert [re.search(r"TF-2016-\d{5}", page).group(0) for page in pdf_pages(data)] == [c.number for c in certificates]
    assert not stamped(reader)
    assert "Гульмира Уахитова" in pdf_pages(data)[0]
