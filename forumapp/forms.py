"""Form pieces shared by every area: text in three languages side by side, local date-times."""

from __future__ import annotations

from functools import lru_cache

from babel.support import Translations
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Form, FormField, StringField, TextAreaField
from wtforms.i18n import messages_path
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, StopValidation, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES, clean_translations
from forumapp.text import has_control_characters


def no_control_characters(form, field):
    """Refuse NUL, vertical tab and their kind (tab and line breaks too, unless the field is a
    text area). It stops the field's other checks: some of them query the database, and
    PostgreSQL cannot even compare a string with a NUL byte in it."""
    values = field.raw_data or []
    multiline = isinstance(field, TextAreaField)
    if any(isinstance(v, str) and has_control_characters(v, multiline=multiline) for v in values):
        raise StopValidation(_l("This text contains characters that are not allowed."))


def _with_text_checks(unbound_field, options: dict) -> dict:
    """Every text field (StringField and its kin: text areas, e-mail, password, hidden) gets
    no_control_characters as its first check, whichever form it is declared in."""
    if issubclass(unbound_field.field_class, StringField):
        options = {**options, "validators": [no_control_characters, *(unbound_field.kwargs.get("validators") or ())]}
    return options


class TextChecksMeta(DefaultMeta):
    def bind_field(self, form, unbound_field, options):
        return unbound_field.bind(form=form, **_with_text_checks(unbound_field, options))


class SubForm(Form):
    """A form nested in another (FormField, FieldList): the same checks on its text fields."""

    Meta = TextChecksMeta


def _translations_form(textarea: bool, max_length: int):
    field_class = TextAreaField if textarea else StringField

    class TranslationsForm(SubForm):
        pass

    for code in LANGUAGES:
        setattr(
            TranslationsForm,
            code,
            field_class(LANGUAGE_NAMES[code], validators=[Length(max=max_length)], render_kw={"lang": code}),
        )
    return TranslationsForm


class TranslatedField(FormField):
    """One piece of content in Kazakh, Russian and English: renders as three inputs
    (name-kk, name-ru, name-en); `.data` is a dict with the non-empty ones, as stored in the
    JSON columns of the models."""

    def __init__(self, label=None, validators=None, *, required=False, textarea=False, max_length=500, **kw):
        super().__init__(_translations_form(textarea, max_length), label, validators, separator="-", **kw)
        self.required = required

    def process(self, formdata, data=None, extra_filters=None):
        # Accept the stored dict (or a plain string, treated as the same text in every language).
        if isinstance(data, str):
            data = {code: data for code in LANGUAGES}
        super().process(formdata, data or {}, extra_filters)

    @property
    def data(self):
        return clean_translations(self.form.data)

    def populate_obj(self, obj, name):
        setattr(obj, name, self.data)

    @property
    def own_errors(self) -> list:
        return self.__dict__.setdefault("_own_errors", [])

    @property
    def errors(self) -> list:
        """Errors of the whole field, then those of each language's input, as one list."""
        nested = [e for sub in self.form for e in sub.errors]
        return [*self.own_errors, *nested]

    def validate(self, form, extra_validators=()):
        self.own_errors.clear()
        valid = super().validate(form, extra_validators)
        if self.required and not self.data:
            self.own_errors.append(_l("Fill in at least one language."))
            return False
        return valid


def at_least_one_language(form, field):
    if not field.data:
        raise ValidationError(_l("Fill in at least one language."))


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' own messages ("Invalid email address.") in the visitor's language. Flask-WTF
    reads and parses the catalogue file again on every request; this keeps one per language for
    the life of the process."""

    @staticmethod
    def _catalogue():
        locale = get_locale() if has_request_context() else None
        return _wtforms_catalogue(str(locale)) if locale else None

    def gettext(self, string):
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular, plural, n):
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


class BaseForm(FlaskForm):
    """Every form posts a CSRF token (Flask-WTF), and no text field takes control characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return unbound_field.bind(form=form, **_with_text_checks(unbound_field, options))

        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return DefaultMeta.get_translations(self, form)
            return WTFORMS_MESSAGES
