from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, URL

from .constants import COUNTERPARTY_KINDS


class CounterpartyForm(FlaskForm):
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in COUNTERPARTY_KINDS.items()])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), Length(max=18)])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=200)])
    description = TextAreaField(_l("Profile"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class ContactForm(FlaskForm):
    name = StringField(_l("Contact name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Position"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Add contact"))
