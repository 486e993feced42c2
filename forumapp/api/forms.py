from __future__ import annotations

from wtforms import RadioField, StringField, URLField
from wtforms.validators import DataRequired, Length

from forumapp.api.models import TokenAccess, WebhookKind
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm
from forumapp.registration.forms import MultiCheckboxField

ACCESS_LABELS = {
    TokenAccess.READ.value: _l("Read registrations"),
    TokenAccess.READ_WRITE.value: _l("Read registrations, check people in, promote from the waiting list"),
}


class TokenForm(BaseForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)],
                       description=_l("For example: badge printer, CRM, mobile app."))
    access = RadioField(_l("Access"), choices=list(ACCESS_LABELS.items()), default=TokenAccess.READ.value)


WEBHOOK_KIND_LABELS = {
    WebhookKind.REGISTRATION_CREATED.value: _l("A registration is made"),
    WebhookKind.REGISTRATION_CONFIRMED.value: _l("A registration is confirmed"),
    WebhookKind.REGISTRATION_CANCELLED.value: _l("A registration is cancelled"),
}


class WebhookForm(BaseForm):
    url = URLField(_l("Address (https://…)"), validators=[DataRequired(), Length(max=500)])
    kinds = MultiCheckboxField(_l("Tell it when"), choices=list(WEBHOOK_KIND_LABELS.items()),
                               default=list(WEBHOOK_KIND_LABELS), validators=[DataRequired()])
