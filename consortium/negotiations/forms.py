"""The negotiation forms. The fields people write come from the entities' definitions
(``schemas.DossierFields`` …, through ``core.entity.form_class``); the base classes here hold
only what a definition does not cover: choices known at run time (counterparty, coordinator,
linked scenarios, members, terms), hidden controls and the submit button. ``form.values()``
gives the defined fields to the service."""
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, Form, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import described, form_class

from .schemas import (AmendmentFields, DossierFields, EventFields, ParticipantFields, PricingModelFields,
                      SignatureFields, StanceFields, VersionFields, proposal_fields)


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
                    quorum={"default": lambda: gettext("all")})  # 全部 on a Chinese page


class _TransitionBase(FlaskForm):
    to_status = HiddenField(validators=[DataRequired()])
    # asked only when closing breaches a red line (services.transition)
    acknowledgement = TextAreaField(_l("Reason for accepting the breached red lines"),
                                    validators=[Optional(), Length(max=5000)])


TransitionForm = _form("TransitionForm", _TransitionBase, EventFields, place=(("to_status", None),))


# what accompanies a saved position (the editor checks its CSRF token itself and reads the terms' rows)
VersionForm = _form("VersionForm", Form, VersionFields)


class InviteForm(FlaskForm):
    member = SelectField(_l("Member"), validators=[DataRequired()], choices=[], validate_choice=False)


class _WithdrawBase(FlaskForm):
    member = HiddenField(validators=[DataRequired()])


class _RespondBase(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])


WithdrawForm = _form("WithdrawForm", _WithdrawBase, ParticipantFields,  # the service asks for the reason
                     place=(("member", None),))
RespondForm = _form("RespondForm", _RespondBase, ParticipantFields, place=(("accept", None),))


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


AmendmentForm = _form("AmendmentForm", _AmendmentFormBase, AmendmentFields,
                      exclude=tuple(n for n in described(AmendmentFields) if n not in proposal_fields(AmendmentFields)),
                      place=(("term_key", None),))


class _DecideBase(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])


# the coordinator's decision: the definition's decision fields (decision_reason …)
DecideForm = _form("DecideForm", _DecideBase, AmendmentFields, exclude=proposal_fields(AmendmentFields),
                   place=(("accept", None),))


class SignOnForm(FlaskForm):
    deadline = DateField(_l("Sign-on deadline"), validators=[Optional()])
    # asked only when fewer stances than the quorum are on the current version (services.call_sign_on)
    override = TextAreaField(_l("Reason for opening the sign-on anyway"), validators=[Optional(), Length(max=5000)])


class _SignBase(FlaskForm):
    signed = HiddenField(validators=[DataRequired()])


SignForm = _form("SignForm", _SignBase, SignatureFields, place=(("signed", None),))


class _PricingModelFormBase(FlaskForm):
    submit = SubmitField(_l("Save"))


# the schedule is edited as table rows, one table per kind (views.pricing_models, pricing.schedule_from_rows)
PricingModelForm = _form("PricingModelForm", _PricingModelFormBase, PricingModelFields, exclude=("schedule",))
