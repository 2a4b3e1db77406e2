"""The negotiation forms. The fields people write come from the entities' definitions
(``schemas.DossierFields`` …, through ``core.entity.form_class``); the base classes here hold
only what a definition does not cover: choices known at run time (counterparty, coordinator,
linked scenarios, members, terms), hidden controls and the submit button. ``form.values()``
gives the defined fields to the service."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import described, form_class

from .schemas import AmendmentFields, DossierFields, PricingModelFields, StanceFields


def as_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def _form(name, base, definition, *, place=(), exclude=(), **presentation):
    """``core.entity.form_class``, where ``presentation`` adds WTForms keyword arguments to a
    defined field that only the page cares about (its default, its render_kw)."""
    form = form_class(name, base, definition, place=place, exclude=exclude)
    for field_name, kwargs in presentation.items():
        getattr(form, field_name).kwargs.update(kwargs)
    return form


class _DossierFormBase(FlaskForm):
    counterparty = SelectField(_l("Counterparty"), validators=[DataRequired()], choices=[])
    coordinator = SelectField(_l("Coordinator"), validators=[DataRequired()], choices=[])
    scenarios = SelectMultipleField(_l("Linked seed scenarios"), choices=[], validate_choice=False)
    resources = StringField(_l("Linked resource-map entries"), validators=[Optional(), Length(max=500)],
                            description=_l("Entry numbers, separated by commas."))
    submit = SubmitField(_l("Save"))


# the page's order: title, counterparty, coordinator, subject, deadline, quorum, links, save
DossierForm = _form("DossierForm", _DossierFormBase, DossierFields,
                    place=(("counterparty", "title"), ("coordinator", "counterparty"), ("scenarios", "quorum"),
                           ("resources", "scenarios")),
                    quorum={"default": "all"})


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


class _StanceFormBase(FlaskForm):
    term_key = HiddenField()
    # shown as radio buttons by the page; the definition's vocabulary gives the choices
    stance = RadioField(described(StanceFields)["stance"].label,
                        choices=lambda: described(StanceFields)["stance"].choices(get_locale()),
                        validators=[DataRequired()])


StanceForm = _form("StanceForm", _StanceFormBase, StanceFields, exclude=("stance",),
                   place=(("term_key", None), ("stance", "term_key")))
StanceForm.FIELDS = tuple(described(StanceFields))  # the stance is defined, shown as the base's radio buttons


class _AmendmentFormBase(FlaskForm):
    term_key = SelectField(_l("Term"), choices=[], validators=[DataRequired()], validate_choice=False)


AmendmentForm = _form("AmendmentForm", _AmendmentFormBase, AmendmentFields, exclude=("decision_reason",),
                      place=(("term_key", None),))


class DecideForm(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])
    reason = described(AmendmentFields)["decision_reason"].form_field()


class SignOnForm(FlaskForm):
    deadline = DateField(_l("Sign-on deadline"), validators=[Optional()])


class SignForm(FlaskForm):
    signed = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class _PricingModelFormBase(FlaskForm):
    submit = SubmitField(_l("Save"))


PricingModelForm = _form("PricingModelForm", _PricingModelFormBase, PricingModelFields,
                         schedule={"render_kw": {"rows": 5, "class": "font-monospace"}})
