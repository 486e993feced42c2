"""Organisers' forms for people and organisations."""

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import Email, Length, Optional

from forumapp.directory.labels import ORGANISATION_KIND_LABELS
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.media.forms import ImageField


class OrganisationForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=300)
    kind = SelectField(_l("Kind"), choices=list(ORGANISATION_KIND_LABELS.items()))
    city = StringField(_l("City"), validators=[Length(max=120)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])
    description = TranslatedField(_l("Description"), textarea=True, max_length=10000)
    parent_id = SelectField(_l("Member of"), coerce=int, choices=[])
    logo = ImageField(_l("Logo"), purpose="logos")
    remove_logo = BooleanField(_l("Remove the current logo"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [(0, _l("— none —"))] + [(o.id, o.display_name) for o in organisations]

    def validate_website(self, field):
        if field.data and not field.data.startswith(("http://", "https://")):
            field.data = "https://" + field.data


class PersonForm(BaseForm):
    name = TranslatedField(_l("Name"), required=True, max_length=200)
    position = TranslatedField(_l("Position"), max_length=300)
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    bio = TranslatedField(_l("Biography"), textarea=True, max_length=10000)
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=50)])
    notes = TextAreaField(_l("Notes for organisers"), validators=[Length(max=5000)])
    photo = ImageField(_l("Photo"), purpose="photos")
    remove_photo = BooleanField(_l("Remove the current photo"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [(0, _l("— none —"))] + [(o.id, o.display_name) for o in organisations]
