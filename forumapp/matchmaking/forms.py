"""Forms: the participant's profile, a meeting request, the catalogue's filters, the organiser's
sessions and moves."""

from __future__ import annotations

import re

from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, SubForm, TranslatedField
from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES
from forumapp.matchmaking.labels import CATEGORY_LABELS, KIND_LABELS, OUTCOME_LABELS
from forumapp.registration.forms import MultiCheckboxField

ENTRY_ROWS = 3
BREAKS = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def _category_choices(blank):
    return [("", blank)] + [(code, label) for code, label in CATEGORY_LABELS.items()]


class EntryForm(SubForm):
    category = SelectField(_l("Category"), choices=_category_choices(_l("(none)")), validators=[Optional()])
    text = StringField(_l("What exactly"), validators=[Optional(), Length(max=500)])
    volume = StringField(_l("Volume or capacity"), validators=[Optional(), Length(max=200)])


class ProfileForm(BaseForm):
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of organisation"), choices=list(KIND_LABELS.items()), validators=[InputRequired()])
    about = TranslatedField(_l("About your organisation"), textarea=True, max_length=2000)
    offers = FieldList(FormField(EntryForm), label=_l("What you offer"), min_entries=ENTRY_ROWS, max_entries=10)
    seeks = FieldList(FormField(EntryForm), label=_l("What you seek"), min_entries=ENTRY_ROWS, max_entries=10)
    regions = StringField(_l("Regions (separated by commas)"), validators=[Optional(), Length(max=300)])
    languages = MultiCheckboxField(_l("Languages you speak in meetings"),
                                   choices=[(c, LANGUAGE_NAMES[c]) for c in LANGUAGES], validators=[Optional()])
    not_before = TimeField(_l("No meetings before"), validators=[Optional()])
    not_after = TimeField(_l("No meetings after"), validators=[Optional()])
    prefer_from = TimeField(_l("Preferably from"), validators=[Optional()])
    prefer_until = TimeField(_l("Preferably until"), validators=[Optional()])

    def validate_offers(self, field):
        if not any(e.category.data for e in list(self.offers) + list(self.seeks)):
            raise ValidationError(_l("Say in at least one category what you offer or seek."))

    def validate_not_after(self, field):
        if field.data and self.not_before.data and field.data <= self.not_before.data:
            raise ValidationError(_l("This must be later than the start."))

    def validate_prefer_until(self, field):
        if field.data and self.prefer_from.data and field.data <= self.prefer_from.data:
            raise ValidationError(_l("This must be later than the start."))


class RequestForm(BaseForm):
    message = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=1000)])


class AnswerForm(BaseForm):
    answer = SelectField(choices=[("accept", "accept"), ("decline", "decline"), ("withdraw", "withdraw")],
                         validators=[InputRequired()])


class OutcomeForm(BaseForm):
    outcome = SelectField(_l("Outcome"), choices=[(k, v) for k, v in OUTCOME_LABELS.items() if k != "none"],
                          validators=[InputRequired()])


class SessionForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=200)
    hall = SelectField(_l("Hall"), coerce=int, validators=[Optional()])
    day = DateField(_l("Day"), validators=[InputRequired()])
    starts = TimeField(_l("From"), validators=[InputRequired()])
    ends = TimeField(_l("Until"), validators=[InputRequired()])
    slot_minutes = IntegerField(_l("Slot length, minutes"), default=20, validators=[InputRequired(), NumberRange(5, 240)])
    tables = IntegerField(_l("Number of tables"), default=10, validators=[InputRequired(), NumberRange(1, 500)])
    breaks = StringField(_l("Breaks, e.g. 12:30-13:30, 15:00-15:15"), validators=[Optional(), Length(max=300)])

    def validate_ends(self, field):
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_l("This must be later than the start."))

    def validate_breaks(self, field):
        field.parsed = []
        for part in filter(None, (p.strip() for p in (field.data or "").split(","))):
            found = BREAKS.match(part)
            if not found:
                raise ValidationError(_l("Write each break as 12:30-13:30."))
            start, end = (f"{int(t.split(':')[0]):02d}:{t.split(':')[1]}" for t in found.groups())
            if not ("00:00" <= start < end <= "23:59") or int(start[3:]) > 59 or int(end[3:]) > 59:
                raise ValidationError(_l("Write each break as 12:30-13:30."))
            field.parsed.append([start, end])


class MoveForm(BaseForm):
    cell = SelectField(_l("Slot"), validators=[InputRequired()])
    table = IntegerField(_l("Table"), validators=[InputRequired(), NumberRange(1, 500)])


class DoorForm(BaseForm):
    attendance = SelectField(choices=[("held", "held"), ("no_show", "no_show"), ("unknown", "unknown")],
                             validators=[InputRequired()])


class ProfileActionForm(BaseForm):
    action = SelectField(choices=[("approve", "approve"), ("hide", "hide"), ("show", "show")],
                         validators=[InputRequired()])
