"""The organiser's release form: a name unique per event and a short changelog."""

from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm


class ReleaseForm(BaseForm):
    name = StringField(
        _l("Version name"),
        validators=[DataRequired(), Length(max=60)],
        description=_l('For example "1.0" or "Final". Schedule apps show it as the version.'),
    )
    changelog = TextAreaField(
        _l("What changed, in your words"), validators=[Length(max=4000)], render_kw={"rows": 4}
    )
    # The event's data version the page showed the changes of (see services.release).
    seen_version = HiddenField(validators=[Regexp(r"^\d{0,18}$")])

    @property
    def seen(self) -> int | None:
        return int(self.seen_version.data) if self.seen_version.data else None

    def __init__(self, *args, name_taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_taken = name_taken

    def validate_name(self, field):
        if self._name_taken and self._name_taken(field.data or ""):
            raise ValidationError(_l("This event already has a version with this name."))
