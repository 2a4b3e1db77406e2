from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from consortium.core.entity import form_class

from .schemas import TokenFields, UserFields


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign in"))


class _UserFormBase(FlaskForm):
    """The account's fields come from its definition (schemas.UserFields); the initial password
    (never stored as such) and the button are the form's own."""
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create account"))


UserForm = form_class("UserForm", _UserFormBase, UserFields)


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Set password"))


class OwnPasswordForm(FlaskForm):
    """Changing one's own password asks for the current one first."""
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Set password"))


class _TokenFormBase(FlaskForm):
    submit = SubmitField(_l("Create token"))


TokenForm = form_class("TokenForm", _TokenFormBase, TokenFields)
