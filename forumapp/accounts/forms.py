from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from forumapp.accounts.labels import ROLE_LABELS
from forumapp.escaping import lazy_gettext as _l
from forumapp.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class TeamMemberForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    password = PasswordField(
        _l("Password (for a new account)"), validators=[Length(max=200)]
    )
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
