"""Organisers' forms for sponsor tiers and partners."""

from wtforms import BooleanField, SelectField, URLField
from wtforms.validators import Length, Optional, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm, TranslatedField
from forumapp.media.forms import ImageField


class TierForm(BaseForm):
    name = TranslatedField(_l("Name of the tier"), required=True, max_length=200)


class SponsorForm(BaseForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    tier_id = SelectField(_l("Tier"), coerce=int, choices=[])
    url = URLField(_l("Link"), validators=[Optional(), Length(max=500)],
                   description=_l("Leave empty to use the organisation's website."))
    logo = ImageField(_l("Logo"), purpose="logos")
    remove_logo = BooleanField(_l("Remove the current logo"))
    on_certificates = BooleanField(_l("Name this partner on certificates"), default=True)

    def __init__(self, *args, organisations, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [(0, _l("— choose —"))] + [(o.id, o.display_name) for o in organisations]
        self.tier_id.choices = [(t.id, t.display_name) for t in tiers]
        self.logo.description = _l("Leave empty to use the organisation's logo. JPEG, PNG or WebP, up to 10 MB.")

    def validate_organisation_id(self, field):
        if not any(value == field.data for value, _label in self.organisation_id.choices[1:]):
            raise ValidationError(_l("Choose the organisation."))

    def validate_url(self, field):
        if field.data and not field.data.startswith(("http://", "https://")):
            field.data = "https://" + field.data
