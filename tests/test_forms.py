"""The shared translated-text field: three inputs in, one dict out."""

from werkzeug.datastructures import MultiDict

from forumapp.forms import BaseForm, TranslatedField


class TitleForm(BaseForm):
    title = TranslatedField("Title", required=True)


def test_translated_field_collects_languages(app):
    with app.test_request_context():
        form = TitleForm(MultiDict({"title-kk": " Алматы форумы ", "title-ru": "", "title-en": "Forum"}), meta={"csrf": False})
        assert form.validate()
        assert form.title.data == {"kk": "Алматы форумы", "en": "Forum"}


def test_translated_field_requires_one_language(app):
    with app.test_request_context("/?lang=en"):
        form = TitleForm(MultiDict({"title-kk": "", "title-ru": " ", "title-en": ""}), meta={"csrf": False})
        assert not form.validate()
        assert "Fill in at least one language." in [str(e) for e in form.title.errors]


def test_translated_field_shows_stored_text(app):
    with app.test_request_context():
        form = TitleForm(data={"title": {"ru": "Форум"}}, meta={"csrf": False})
        html = str(form.title.form.ru)
        assert 'value="Форум"' in html
