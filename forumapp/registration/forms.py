"""Forms: the public registration form (built per event: categories, questions, items) and the
organisers' settings, categories and questions."""

from __future__ import annotations

import re
import secrets

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES, current_language
from forumapp.registration.models import QUESTION_KINDS

PHONE = re.compile(r"^[0-9+()\-.\s]{5,30}$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


NONCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what secrets.token_urlsafe gives, and the column holds


def form_nonce(form, field):
    """The hidden nonce comes back as it was sent, unless someone edited it. A bad one gets a
    fresh nonce, so the form shown again (400) can be sent as it is."""
    if field.data and not NONCE.match(field.data):
        field.data = secrets.token_urlsafe(24)
        raise ValidationError(_l("The form expired. Please submit it again."))


def phone_number(form, field):
    if field.data and not PHONE.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number: digits, spaces, + ( ) and -."))


def _text(label, max_length, *, required=False):
    first = [DataRequired()] if required else [Optional()]
    return StringField(label, validators=[*first, Length(max=max_length)])


class _ParticipantFields(BaseForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50), phone_number], render_kw={"autocomplete": "tel", "type": "tel"})
    organisation_name = _text(_l("Organisation"), 300)
    position = _text(_l("Position"), 200)
    city = _text(_l("City"), 120)
    category = SelectField(_l("Participant category"), coerce=int, validators=[InputRequired()])
    locale = SelectField(
        _l("Preferred language"), choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], validators=[InputRequired()]
    )
    items = MultiCheckboxField(_l("Programme items"), coerce=int, validators=[Optional()])


class _NewRegistrationFields(_ParticipantFields):
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "type": "email"}
    )
    consent = BooleanField(
        _l("I agree to the processing of my personal data for this event."),
        validators=[DataRequired(message=_l("Registration needs your consent."))],
    )
    nonce = HiddenField(validators=[form_nonce])


FIELD_ORDER = ("full_name", "email", "phone", "organisation_name", "position", "city", "category", "locale")


def registration_form(event_categories, event_questions, items, *, editing=False, **kwargs):
    """The form for one event: standard fields, then the organiser's questions, items, consent."""

    class RegistrationForm(_ParticipantFields if editing else _NewRegistrationFields):
        pass

    for question in event_questions:
        setattr(RegistrationForm, f"q_{question.id}", _question_field(question))
    form = RegistrationForm(**kwargs)
    form.category.choices = [(c.id, c.display_name) for c in event_categories]
    set_item_choices(form, items)
    if not editing and not form.nonce.data:
        form.nonce.data = secrets.token_urlsafe(24)
    if not form.is_submitted() and not form.locale.data:
        form.locale.data = current_language()
    form.question_fields = [(q, form[f"q_{q.id}"]) for q in event_questions]
    return form


def set_item_choices(form, items) -> None:
    form.items.choices = [(item.id, item.display_title) for item in items]


def _question_field(question):
    label = question.display_label
    if question.kind == "text":
        return StringField(
            label,
            validators=[DataRequired() if question.required else Optional(), Length(max=2000)],
        )
    choices = list(enumerate(question.choice_labels()))
    if question.kind == "single_choice":
        return RadioField(
            label,
            choices=choices,
            coerce=_int_or_none,
            validate_choice=False,
            validators=[_choice_in(len(choices), question.required)],
        )
    if question.kind == "multiple_choice":
        return MultiCheckboxField(
            label, choices=choices, coerce=int, validators=[DataRequired() if question.required else Optional()]
        )
    return BooleanField(label, validators=[DataRequired()] if question.required else [])


def _int_or_none(value):
    if value in (None, ""):
        return None
    return int(value)


def _choice_in(count: int, required: bool):
    def check(form, field):
        if field.data is None:
            if required:
                raise ValidationError(_l("Choose one."))
            return
        if not 0 <= field.data < count:
            raise ValidationError(_l("Not a valid choice."))

    return check


def answers_from(form) -> dict:
    answers = {}
    for question, field in form.question_fields:
        value = field.data
        if question.kind == "text":
            value = (value or "").strip()
        elif question.kind == "multiple_choice":
            value = sorted(set(value or []))
        elif question.kind == "checkbox":
            value = bool(value)
        answers[str(question.id)] = value
    return answers


def fill_answers(form, answers: dict) -> None:
    for question, field in form.question_fields:
        if str(question.id) in (answers or {}):
            field.data = answers[str(question.id)]


# ---- organisers ----------------------------------------------------------------------------


class SettingsForm(BaseForm):
    opens_at = DateTimeLocalField(_l("Registration opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(
        _l("Registration closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
        description=_l("Empty: when the event ends (the end of its last day). Set a time to close earlier or later."),
    )
    capacity = IntegerField(
        _l("Places (empty: unlimited)"), validators=[Optional(), NumberRange(min=0, max=1_000_000)]
    )
    requires_approval = BooleanField(_l("Organisers approve each registration"))
    signup_items = MultiCheckboxField(_l("Items that take sign-ups"), coerce=int, validators=[Optional()])

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))


class CategoryForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=200)
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])
    is_public = BooleanField(_l("Participants may choose it on the registration form"), default=True)
    requires_approval = BooleanField(_l("Organisers approve registrations in this category"))


class RegistrationCategoryForm(BaseForm):
    """The organisers give a registration any category of the event, public or not."""

    category = SelectField(_l("Participant category"), coerce=int, validators=[InputRequired()])


class QuestionForm(BaseForm):
    label = TranslatedField(_l("Question"), required=True, max_length=500)
    kind = SelectField(
        _l("Kind of answer"),
        choices=list(
            zip(
                QUESTION_KINDS,
                [_l("Text"), _l("One choice"), _l("Several choices"), _l("Checkbox")],
                strict=True,
            )
        ),
    )
    choices = TextAreaField(
        _l("Choices, one per line (Kazakh | Russian | English)"), validators=[Length(max=5000)]
    )
    required = BooleanField(_l("An answer is required"))
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])

    def validate_choices(self, field):
        if self.kind.data in ("single_choice", "multiple_choice") and not parse_choices(field.data):
            raise ValidationError(_l("Give at least one choice."))


def parse_choices(text: str | None) -> list[dict]:
    choices = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            choices.append({code: parts[0] for code in LANGUAGES})
        else:
            choices.append({code: value for code, value in zip(LANGUAGES, parts, strict=False) if value})
    return choices


def format_choices(choices: list[dict]) -> str:
    return "\n".join(" | ".join(c.get(code, "") for code in LANGUAGES) for c in choices or [])


class ResendForm(BaseForm):
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), Email()],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
