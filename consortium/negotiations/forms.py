"""The negotiation forms. The fields people write come from the entities' definitions
(``schemas.DossierFields`` …, through ``core.entity.form_fields``); the form classes here hold
only what a definition does not cover: choices known at run time (counterparty, coordinator,
linked scenarios, members, terms), hidden controls and the submit button."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import described, form_fields

from .schemas import AmendmentFields, DossierFields, PricingModelFields, StanceFields


def as_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def _in_order(*fields: UnboundField) -> None:
    """WTForms lays a form out in the order its fields were made: make these come in this
    order (a base class's fields are made before the definition's)."""
    for field in fields:
        UnboundField.creation_counter += 1
        field.creation_counter = UnboundField.creation_counter


def _form(name, base, definition, *, exclude=(), **presentation):
    """A form class: ``base`` plus the definition's fields (``presentation`` adds WTForms
    keyword arguments to a field, e.g. its default or render_kw)."""
    generated = form_fields(definition, exclude=exclude)
    for field_name, kwargs in presentation.items():
        generated[field_name].kwargs.update(kwargs)
    return type(name, (base,), {"DEFINITION": definition, **generated})


class _Written(FlaskForm):
    DEFINITION = None

    def written(self) -> dict:
        """What was written in the definition's fields, by name, for the service."""
        return {name: self[name].data for name in described(self.DEFINITION) if name in self}


class _DossierFormBase(_Written):
    counterparty = SelectField(_l("Counterparty"), validators=[DataRequired()], choices=[])
    coordinator = SelectField(_l("Coordinator"), validators=[DataRequired()], choices=[])
    scenarios = SelectMultipleField(_l("Linked seed scenarios"), choices=[], validate_choice=False)
    resources = StringField(_l("Linked resource-map entries"), validators=[Optional(), Length(max=500)],
                            description=_l("Entry numbers, separated by commas."))
    submit = SubmitField(_l("Save"))


DossierForm = _form("DossierForm", _DossierFormBase, DossierFields, quorum={"default": "all"})
# the page's order: title, counterparty, coordinator, subject, deadline, quorum, links, save
_in_order(DossierForm.title, _DossierFormBase.counterparty, _DossierFormBase.coordinator, DossierForm.subject,
          DossierForm.deadline, DossierForm.quorum, _DossierFormBase.scenarios, _DossierFormBase.resources,
          _DossierFormBase.submit)


class TransitionForm(FlaskForm):
    to_status = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class InviteForm(FlaskForm):
    member = SelectField(_l("Member"), validators=[DataRequired()], choices=[], validate_choice=False)


class WithdrawForm(FlaskForm):
    member = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class RespondForm(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class _StanceFormBase(_Written):
    term_key = HiddenField()
    # shown as radio buttons by the page; the definition's vocabulary gives the choices
    stance = RadioField(described(StanceFields)["stance"].label,
                        choices=lambda: described(StanceFields)["stance"].choices(get_locale()),
                        validators=[DataRequired()])


StanceForm = _form("StanceForm", _StanceFormBase, StanceFields, exclude=("stance",))


class _AmendmentFormBase(_Written):
    term_key = SelectField(_l("Term"), choices=[], validators=[DataRequired()], validate_choice=False)


AmendmentForm = _form("AmendmentForm", _AmendmentFormBase, AmendmentFields, exclude=("decision_reason",))


class DecideForm(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])
    reason = described(AmendmentFields)["decision_reason"].form_field()


class SignOnForm(FlaskForm):
    deadline = DateField(_l("Sign-on deadline"), validators=[Optional()])


class SignForm(FlaskForm):
    signed = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class _PricingModelFormBase(_Written):
    submit = SubmitField(_l("Save"))


PricingModelForm = _form("PricingModelForm", _PricingModelFormBase, PricingModelFields,
                         schedule={"render_kw": {"rows": 5, "class": "font-monospace"}})
_in_order(*(getattr(PricingModelForm, name) for name in described(PricingModelFields)), _PricingModelFormBase.submit)
