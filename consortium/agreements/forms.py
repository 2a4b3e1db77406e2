from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField

from consortium.core.entity import form_class
from consortium.core.forms import VersionField

from .schemas import AgreementFields


class _AgreementFormBase(FlaskForm):
    """What the agreement form has beyond the definition's fields (``schemas.AgreementFields``):
    the lock, the parties and the linked scenarios (choices set by the view), the button."""

    version = VersionField()
    members = SelectMultipleField(_l("Member parties"), choices=[])
    counterparties = SelectMultipleField(_l("Counterparties"), choices=[])
    scenarios = SelectMultipleField(_l("Linked scenarios"), choices=[])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("is_public", True)  # a new agreement is public unless unticked
        super().__init__(*args, **kwargs)


# Input shape only; the rules (status, dates, parties, consent) live in services.
AgreementForm = form_class("AgreementForm", _AgreementFormBase, AgreementFields,
                           place=(("version", None), ("members", "status"), ("counterparties", "members"),
                                  ("scenarios", "counterparties")))


class ConfirmForm(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Confirm this agreement as it stands"))
