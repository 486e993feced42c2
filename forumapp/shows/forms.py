"""Organisers' forms for collections, lookbook pictures, show settings and segments."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.media.forms import ImageField
from forumapp.shows.labels import CATEGORY_LABELS, SEASON_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CollectionForm(BaseForm):
    title = TranslatedField(_l("Title"), required=True, max_length=300)
    brand_id = SelectField(_l("Brand or fashion house"), coerce=int, choices=[])
    # Check boxes, the chosen designers first: a 4-row multi-select hid what was chosen.
    designer_ids = MultiCheckboxField(_l("Designers"), coerce=int, choices=[], validators=[Optional()])
    season = SelectField(_l("Season"), choices=list(SEASON_LABELS.items()))
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1900, max=2200)])
    categories = MultiCheckboxField(_l("Categories"), choices=list(CATEGORY_LABELS.items()))
    looks = IntegerField(_l("Number of looks"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)])
    description = TranslatedField(_l("Description"), textarea=True, max_length=10000)

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        brands = sorted(organisations, key=lambda o: (o.kind != "fashion_house", o.display_name.casefold()))
        self.brand_id.choices = [(0, _l("— choose —"))] + [(o.id, o.display_name) for o in brands]
        chosen = {p.id for p in getattr(kwargs.get("obj"), "designers", None) or []}
        people = sorted(people, key=lambda p: p.id not in chosen)  # stable: by name within each part
        self.designer_ids.choices = [(p.id, p.display_name) for p in people]

    def validate_brand_id(self, field):
        if not any(value == field.data for value, _label in self.brand_id.choices[1:]):
            raise ValidationError(_l("Choose the brand."))


class LookbookImageForm(BaseForm):
    image = ImageField(_l("Picture"), purpose="lookbooks", validators=[DataRequired(_l("Choose a picture."))])
    caption = TranslatedField(_l("Caption"), max_length=300)


class ShowSettingsForm(BaseForm):
    call_minutes = IntegerField(
        _l("Backstage call, minutes before the segment"), default=30, validators=[InputRequired(), NumberRange(min=0, max=600)]
    )
    seconds_per_look = IntegerField(
        _l("Seconds per look"), default=40, validators=[InputRequired(), NumberRange(min=1, max=3600)]
    )
    changeover_seconds = IntegerField(
        _l("Changeover between segments, seconds"), default=0, validators=[Optional(), NumberRange(min=0, max=3600)]
    )


class SegmentForm(BaseForm):
    collection_id = SelectField(_l("Collection"), coerce=int, choices=[])
    minutes = IntegerField(_l("Duration, minutes"), validators=[Optional(), NumberRange(min=0, max=600)])
    seconds = IntegerField(_l("and seconds"), validators=[Optional(), NumberRange(min=0, max=59)])
    music = StringField(_l("Music"), validators=[Length(max=300)])
    notes = TranslatedField(_l("Notes"), textarea=True, max_length=2000)

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.collection_id.choices = [(c.id, f"{c.brand.display_name} — {c.display_title}") for c in collections]
        self.minutes.description = _l("Leave empty to use looks × seconds per look.")

    @property
    def duration_seconds(self) -> int | None:
        total = (self.minutes.data or 0) * 60 + (self.seconds.data or 0)
        return total or None

    def fill_duration(self, seconds: int | None) -> None:
        if seconds:
            self.minutes.data, self.seconds.data = divmod(seconds, 60)
