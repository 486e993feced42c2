"""The form that asks where and when the copied edition goes."""

from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.programme.forms import SLUG_PATTERN


class CopyEventForm(BaseForm):
    title = TranslatedField(_l("Title of the new edition"), required=True, max_length=300)
    slug = StringField(
        _l("Address of the new edition"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. light-industry-forum-2017."),
    )
    starts_on = DateField(
        _l("First day of the new edition"),
        validators=[InputRequired()],
        description=_l("Every item keeps its day of the event and its local time. The proposed day "
                       "falls on the same weekday a year later."),
    )
    code = StringField(
        _l("Certificate number prefix"), validators=[Optional(), Length(max=30)], description=_l("e.g. LIF-2017")
    )

    def __init__(self, *args, taken_slug, **kwargs):
        super().__init__(*args, **kwargs)
        self._taken_slug = taken_slug  # callable(slug) -> bool

    def validate_slug(self, field):
        field.data = (field.data or "").strip().lower()
        if not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use lower-case Latin letters, digits and single hyphens."))
        if self._taken_slug(field.data):
            raise ValidationError(_l("This address is already taken by another event."))

    def validate_starts_on(self, field):
        if field.data and not 1900 < field.data.year < 2200:
            raise ValidationError(_l("Choose a day between 1901 and 2199."))
