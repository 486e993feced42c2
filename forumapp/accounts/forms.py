from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from forumapp.accounts.labels import ROLE_LABELS
from forumapp.accounts.services import EMAIL_MAX_LENGTH, AccountError, check_sign_in_address
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm


def sign_in_address(form, field) -> None:
    """The one rule for account addresses, shared with `flask users create-admin`."""
    try:
        check_sign_in_address(field.data or "")
    except AccountError as exc:
        raise ValidationError(field.gettext("Invalid email address.")) from exc


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=EMAIL_MAX_LENGTH), sign_in_address])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class TeamMemberForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=EMAIL_MAX_LENGTH), sign_in_address])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    password = PasswordField(
        _l("Password (for a new account)"), validators=[Length(max=200)]
    )
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
