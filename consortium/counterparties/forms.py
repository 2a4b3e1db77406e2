from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from consortium.core.entity import form_class

from .schemas import CounterpartyFields


class _CounterpartyFormBase(FlaskForm):
    """The counterparty form beyond the definition's fields (``schemas.CounterpartyFields``)."""

    submit = SubmitField(_l("Save"))


# Input shape only; the rules (vocabulary, credit code, unique name) live in services.
CounterpartyForm = form_class("CounterpartyForm", _CounterpartyFormBase, CounterpartyFields)


class ContactForm(FlaskForm):
    name = StringField(_l("Contact name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Position"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Add contact"))
