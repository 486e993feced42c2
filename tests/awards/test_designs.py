"""Certificate designs: built-in ones customised, the organiser's own HTML/CSS in the sandbox."""

import io

from pypdf import PdfReader

from forumapp.awards.models import CertificateDesign
from forumapp.extensions import db
from forumapp.media.images import media_key
from forumapp.storage import get_storage
from tests.awards.conftest import BASE, pdf_pages, post, stamped

FIELDS = {"name": "Own", "base": "formal_portrait", "languages": "ru", "primary": "#8a3b12", "accent": "#b08d57",
          "text": "#1d2433", "paper": "#fbf7ef"}


def save_design(client, **fields):
    return post(client, f"{BASE}/designs/new", {**FIELDS, **fields})


def test_customised_portrait_design_prints_its_texts_and_signatories(admin_client, ceremony):
    response = save_design(admin_client, **{"text_award-ru": "Почётный диплом", "signatories-0-name": "Гульмира Уахитова",
                                            "signatories-0-position": "Председатель"})
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "preview.pdf" in page, "the design page shows a live preview"
    design = db.session.scalar(db.select(CertificateDesign))
    preview = admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf")
    text = pdf_pages(preview.data)[0]
    assert "ПОЧЁТНЫЙ ДИПЛОМ" in text and "Председатель" in text  # the design sets headings in capitals
    assert "Гульмира Уахитова" in text, "the preview uses a real laureate"


def test_own_template_cannot_load_local_files_or_outside_addresses_and_the_organiser_is_told(admin_client, ceremony):
    css = ("@page { size: A4; margin: 0 } .certificate { background: url(file:///etc/passwd); } "
           ".x { background: url(https://attacker.example/track.png) }")
    html = ('<div class="x">{{ c.name.ru }}</div><img src="file:///etc/passwd">'
            '<img src="http://169.254.169.254/latest/meta-data/"><img src="/media/../secret_key">')
    response = save_design(admin_client, custom_html=html, custom_css=css)
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "These resources were not loaded" in page
    for refused in ("file:///etc/passwd", "attacker.example", "169.254.169.254", "secret_key"):
        assert refused in page, refused
    design = db.session.scalar(db.select(CertificateDesign))
    preview = admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf")
    assert preview.status_code == 200 and int(preview.headers["X-Refused-Resources"]) >= 4
    assert "root:" not in pdf_pages(preview.data)[0]


def test_sandbox_refuses_unsafe_template_code(admin_client, ceremony):
    for html in ("{{ c.__class__.__mro__ }}", "{{ ''.__class__.__subclasses__() }}",
                 "{{ d.signatories.__class__.__base__.__subclasses__() }}", "{{ c.name.items.__globals__ }}"):
        response = save_design(admin_client, custom_html=html)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, html
        assert "The template failed with real data" in body or "access to attribute" in body, html
    assert db.session.scalar(db.select(db.func.count(CertificateDesign.id))) == 0


def test_template_syntax_errors_are_field_errors(admin_client, ceremony):
    response = save_design(admin_client, custom_html="{% for x in %}")
    assert response.status_code == 200
    assert "The template does not compile" in response.get_data(as_text=True)


def test_html_in_names_is_text_in_own_templates_too(admin_client, ceremony):
    save_design(admin_client, custom_html='<p class="n">{{ c.name.ru }}</p>')
    post(admin_client, f"{BASE}/issue", {"kind": "award"}, token_from=f"{BASE}/")
    response = post(admin_client, f"{BASE}/print", {"kind": "award"}, token_from=f"{BASE}/")
    pages = pdf_pages(response.data)
    assert "<b>Жирный</b> <script>alert(1)</script>Ержан" in pages[2]
    assert not stamped(PdfReader(io.BytesIO(response.data))), "an own design is laid out page by page"


def test_an_own_design_is_laid_out_page_by_page_even_with_the_stamping_marks(admin_client, ceremony):
    """Stamping relies on the built-in designs' fixed slots; an organiser's template is never
    stamped, even when it copies their data-stack/data-field marks."""
    save_design(admin_client, custom_html='<div data-stack style="position: absolute; width: 180mm">'
                                          '<p data-field="name.ru">{{ c.name.ru }}</p></div>')
    post(admin_client, f"{BASE}/issue", {"kind": "award"}, token_from=f"{BASE}/")
    response = post(admin_client, f"{BASE}/print", {"kind": "award"}, token_from=f"{BASE}/")
    pages = pdf_pages(response.data)
    assert len(pages) == 3 and "Гульмира Уахитова" in pages[0] and "«Казлегпром»" in pages[1]
    assert not stamped(PdfReader(io.BytesIO(response.data)))


def test_missing_signature_image_is_explained_and_the_certificate_still_prints(app, admin_client, ceremony):
    response = save_design(admin_client, **{"signatories-0-name": "Гульмира Уахитова",
                                            "signatories-0-signature": "signatures/uakhitova.png"})
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The signature image of Гульмира Уахитова (signatures/uakhitova.png) is missing" in page
    post(admin_client, f"{BASE}/issue", {"kind": "award"}, token_from=f"{BASE}/")
    printed = post(admin_client, f"{BASE}/print", {"kind": "award"}, token_from=f"{BASE}/")
    assert printed.status_code == 200 and len(pdf_pages(printed.data)) == 3
    assert "Гульмира Уахитова" in pdf_pages(printed.data)[0]
    assert "is missing" in admin_client.get(f"{BASE}/").get_data(as_text=True), "printing repeats the warning"


def test_colours_are_validated(admin_client, ceremony):
    response = save_design(admin_client, primary="red; } body { background: url(file:///etc/passwd)")
    assert response.status_code == 200
    assert "A colour like #8a3b12." in response.get_data(as_text=True)


def _png(size=(120, 40)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def test_uploaded_signature_and_logo_are_printed_and_svg_is_refused(app, admin_client, ceremony):
    import io

    from pypdf import PdfReader

    response = save_design(admin_client, **{
        "signatories-0-name": "Гульмира Уахитова",
        "signatories-0-signature_upload": (io.BytesIO(_png()), "signature.png"),
        "logo_upload": (io.BytesIO(_png((200, 200))), "logo.png"),
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    design = db.session.scalar(db.select(CertificateDesign))
    signature = design.signatories[0]["signature"]
    assert signature.startswith("signatures/") and get_storage().exists(media_key(signature))
    assert design.logo.startswith("logos/")
    preview = admin_client.get(f"{BASE}/designs/{design.id}/preview.pdf")
    assert "X-Refused-Resources" not in preview.headers
    images = PdfReader(io.BytesIO(preview.data)).pages[0].images
    assert len(images) >= 3, "QR code, signature and logo"

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    refused = post(admin_client, f"{BASE}/designs/{design.id}",
                   {**FIELDS, "logo_upload": (io.BytesIO(svg), "logo.svg")})
    assert refused.status_code == 200
    assert 'class="error"' in refused.get_data(as_text=True)
    db.session.refresh(design)
    assert design.logo.startswith("logos/"), "a refused upload changes nothing"
