"""Organisers' forms for events, halls, tracks, programme items and people's roles."""

from __future__ import annotations

import re
from itertools import permutations
from zoneinfo import available_timezones

from flask_babel import gettext
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.i18n import LANGUAGE_NAMES, LANGUAGES
from forumapp.media.forms import ImageField
from forumapp.programme.labels import ITEM_KIND_LABELS, PERSON_ROLE_LABELS, STATUS_LABELS
from forumapp.programme.models import EVENT_STATUSES, ITEM_STATUSES
from forumapp.programme.services import parse_halls
from forumapp.programme.slugs import suggest_slug

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIMEZONES = sorted(available_timezones())
# Kazakhstan's and its neighbours' zones first, then every zone.
_NEAR = ["Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral", "Asia/Qyzylorda",
         "Asia/Tashkent", "Asia/Bishkek", "Europe/Moscow", "Asia/Novosibirsk", "Asia/Dubai", "Europe/Istanbul"]
_TIMEZONE_CHOICES = [(zone, zone) for zone in _NEAR if zone in _TIMEZONES] + [
    (zone, zone) for zone in _TIMEZONES if zone not in _NEAR
]
# Every order of one, two or three of the languages, named: "Қазақша → Русский → English".
_FALLBACK_CHOICES = [
    (",".join(order), " → ".join(LANGUAGE_NAMES[c] for c in order))
    for size in (3, 2, 1)
    for order in permutations(LANGUAGES, size)
]


def _choices(values, labels):
    return [(value, labels[value]) for value in values]


class EventForm(BaseForm):
    title = TranslatedField(_l("Title"), required=True, max_length=300)
    slug = StringField(
        _l("Web address"),
        validators=[Length(max=80)],  # no Optional(): it would stop the suggestion below
        description=_l(
            "The end of the event's web address: lower-case Latin letters, digits and hyphens, e.g. "
            "light-industry-forum-2016. Left empty, it is made from the title."
        ),
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    timezone = SelectField(_l("Time zone"), default="Asia/Almaty", choices=[])
    venue = TranslatedField(_l("Venue"), max_length=300)
    city = TranslatedField(_l("City"), max_length=120)
    description = TranslatedField(_l("Description"), textarea=True, max_length=20000)
    organisers_text = TranslatedField(_l("Organisers"), textarea=True, max_length=5000)
    status = SelectField(_l("Status"), choices=[])
    default_locale = SelectField(_l("Default language"), choices=[])
    locale_fallback = SelectField(
        _l("Language fallback order"),
        default="kk,ru,en",
        choices=[],
        description=_l("The languages to show, in this order, when a text is missing in the visitor's."),
    )
    code = StringField(
        _l("Certificate number prefix"), validators=[Optional(), Length(max=30)], description=_l("e.g. LIF-2016")
    )
    banner = ImageField(
        _l("Banner or logo"),
        purpose="banners",
        description=_l("Shown at the top of the event's page. JPEG, PNG or WebP; a wide picture looks best."),
    )
    remove_banner = BooleanField(_l("Remove the current banner"))
    # Only when creating: the halls, so a new event needs no trip to the halls page.
    halls = TextAreaField(
        _l("Halls"),
        validators=[Length(max=5000)],
        description=_l("One hall per line, its capacity after a comma if known, e.g. «Main hall, 300»."),
    )

    def __init__(self, *args, taken_slug=None, items_outside=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _choices(EVENT_STATUSES, STATUS_LABELS)
        self.default_locale.choices = [(c, LANGUAGE_NAMES[c]) for c in LANGUAGES]
        self.timezone.choices = _TIMEZONE_CHOICES
        self.locale_fallback.choices = _FALLBACK_CHOICES
        self._taken_slug = taken_slug  # callable(slug) -> bool
        # callable(first day, last day) -> titles of the event's items outside those dates
        self._items_outside = items_outside

    def validate_slug(self, field):
        field.data = (field.data or "").strip().lower()
        if not field.data:
            # Suggested from the title (and made unique) when left empty.
            field.data = suggest_slug(self.title.data or {}, self.starts_on.data, self._taken_slug or (lambda s: False))
        if not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use lower-case Latin letters, digits and single hyphens."))
        if self._taken_slug and self._taken_slug(field.data):
            raise ValidationError(_l("This address is already taken by another event."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
        if self._items_outside and self.starts_on.data and field.data:
            outside = self._items_outside(self.starts_on.data, field.data)
            if outside:
                # gettext, not the lazy form: the titles are organisers' text, and a plain str
                # is escaped where the error is shown.
                raise ValidationError(
                    gettext(
                        "The programme has items outside these dates: %(items)s. Move them first.",
                        items="; ".join(outside),
                    )
                )

    def validate_halls(self, field):
        try:
            field.data = parse_halls(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_timezone(self, field):
        field.data = (field.data or "").strip()
        if field.data not in _TIMEZONES:
            raise ValidationError(_l("Unknown time zone. Use a name such as Asia/Almaty."))

    def validate_locale_fallback(self, field):
        codes = [c.strip() for c in (field.data or "").split(",") if c.strip()]
        if not codes or any(c not in LANGUAGES for c in codes) or len(set(codes)) != len(codes):
            raise ValidationError(_l("List each of kk, ru, en at most once, separated by commas."))
        field.data = ",".join(codes)


class HallForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=200)
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])


class TrackForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=200)
    description = TranslatedField(_l("Description"), textarea=True, max_length=5000)
    color = StringField(_l("Colour"), default="#4a6fa5", validators=[DataRequired(), Length(max=7)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])

    def validate_color(self, field):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", field.data or ""):
            raise ValidationError(_l("Use a colour like #4a6fa5."))


class ItemForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=[])
    title = TranslatedField(_l("Title"), required=True, max_length=300)
    description = TranslatedField(_l("Description"), textarea=True, max_length=20000)
    day = DateField(_l("Day"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    hall_id = SelectField(_l("Hall"), coerce=int, choices=[])
    track_id = SelectField(_l("Track"), coerce=int, choices=[])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    status = SelectField(_l("Status"), choices=[])
    takes_signups = BooleanField(_l("Participants sign up for this item"))
    door_checkin = BooleanField(_l("Check people in at this item's door"))
    highlight = BooleanField(
        _l("Highlight on the event's page"),
        description=_l("When no item is highlighted, the page picks items across the days and kinds."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.kind.choices = list(ITEM_KIND_LABELS.items())
        self.status.choices = _choices(ITEM_STATUSES, STATUS_LABELS)
        self.hall_id.choices = [(0, _l("— no hall —"))] + [(h.id, h.display_name) for h in event.halls]
        self.track_id.choices = [(0, _l("— no track —"))] + [(t.id, t.display_name) for t in event.tracks]

    def validate_day(self, field):
        if field.data and not (self.event.starts_on <= field.data <= self.event.ends_on):
            raise ValidationError(_l("The item must be on one of the event's days."))

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The end must be after the start."))


class ItemPersonForm(BaseForm):
    person_id = SelectField(_l("Person"), coerce=int, choices=[])
    role = SelectField(_l("Role"), choices=list(PERSON_ROLE_LABELS.items()))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = [(p.id, p.display_name) for p in people]


class NewItemPersonForm(BaseForm):
    """A person not yet in the directory, added to the directory and to the item in one step."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=list(PERSON_ROLE_LABELS.items()))
    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=300)],
        description=_l("Its name: found in the directory, or added to it."),
    )
