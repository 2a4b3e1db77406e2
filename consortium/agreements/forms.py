from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField

from consortium.core.entity import described, form_fields
from consortium.core.forms import VersionField

from .schemas import AgreementFields


class _AgreementFormBase(FlaskForm):
    """What the agreement form has beyond the definition's fields (``schemas.AgreementFields``):
    the lock, the parties and the linked scenarios (choices filled in by the view), the button."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("is_public", True)  # a new agreement is public unless unticked
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        return {name: self[name].data for name in described(AgreementFields) if name in self}


# Input shape only; the rules (status, dates, parties, consent) live in services.
# Built in the order people read it: the parties and scenarios after the status, the button last.
_HEAD = form_fields(AgreementFields, exclude=("description", "documents", "is_public"))
_REFERENCES = {"members": SelectMultipleField(_l("Member parties"), choices=[]),
               "counterparties": SelectMultipleField(_l("Counterparties"), choices=[]),
               "scenarios": SelectMultipleField(_l("Linked scenarios"), choices=[])}
AgreementForm = type("AgreementForm", (_AgreementFormBase,), {
    **_HEAD, **_REFERENCES, **form_fields(AgreementFields, exclude=tuple(_HEAD)), "submit": SubmitField(_l("Save"))})


class ConfirmForm(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Confirm this agreement as it stands"))
