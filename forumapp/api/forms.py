from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from forumapp.api.models import TokenAccess
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm

ACCESS_LABELS = {
    TokenAccess.READ.value: _l("Read registrations"),
    TokenAccess.READ_WRITE.value: _l("Read registrations, check people in, promote from the waiting list"),
}


class TokenForm(BaseForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)],
                       description=_l("For example: badge printer, CRM, mobile app."))
    access = RadioField(_l("Access"), choices=list(ACCESS_LABELS.items()), default=TokenAccess.READ.value)
