from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from consortium.core.entity import form_class

from .schemas import ContactFields, CounterpartyFields


class _CounterpartyFormBase(FlaskForm):
    """The counterparty form beyond the definition's fields (``schemas.CounterpartyFields``)."""

    submit = SubmitField(_l("Save"))


# Input shape only; the rules (vocabulary, credit code, unique name) live in services.
CounterpartyForm = form_class("CounterpartyForm", _CounterpartyFormBase, CounterpartyFields)


class _ContactFormBase(FlaskForm):
    submit = SubmitField(_l("Add contact"))


# name, position, e-mail and phone come from the definition (schemas.ContactFields)
ContactForm = form_class("ContactForm", _ContactFormBase, ContactFields)
