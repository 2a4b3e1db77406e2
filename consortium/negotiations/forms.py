from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from .constants import PRICING_KINDS, STANCES


def as_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


class DossierForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    counterparty = SelectField(_l("Counterparty"), validators=[DataRequired()], choices=[])
    coordinator = SelectField(_l("Coordinator"), validators=[DataRequired()], choices=[])
    subject = TextAreaField(_l("Subject"), validators=[Optional(), Length(max=20000)],
                            description=_l("What is negotiated, and why together."))
    deadline = DateField(_l("Deadline for the common position"), validators=[Optional()])
    quorum = StringField(_l("Quorum for the sign-on"), default="all", validators=[DataRequired(), Length(max=10)],
                         description=_l("“all”, or a fraction of the participants such as 2/3."))
    scenarios = SelectMultipleField(_l("Linked seed scenarios"), choices=[], validate_choice=False)
    resources = StringField(_l("Linked resource-map entries"), validators=[Optional(), Length(max=500)],
                            description=_l("Entry numbers, separated by commas."))
    submit = SubmitField(_l("Save"))


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


class StanceForm(FlaskForm):
    term_key = HiddenField()
    stance = RadioField(_l("Stance"), choices=as_choices(STANCES.items()), validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class AmendmentForm(FlaskForm):
    term_key = SelectField(_l("Term"), choices=[], validators=[DataRequired()], validate_choice=False)
    value = TextAreaField(_l("Proposed value"), validators=[DataRequired(), Length(max=10000)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class DecideForm(FlaskForm):
    accept = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])


class SignOnForm(FlaskForm):
    deadline = DateField(_l("Sign-on deadline"), validators=[Optional()])


class SignForm(FlaskForm):
    signed = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class PricingModelForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=as_choices(PRICING_KINDS.items()))
    schedule = TextAreaField(_l("Schedule"), validators=[DataRequired(), Length(max=5000)],
                             render_kw={"rows": 5, "class": "font-monospace"},
                             description=_l("One tier per line. Revenue share: upper bound, supplier %, operator % "
                                            "(“200000 50 50”, last line “* 60 40”). Progressive charge: upper bound, "
                                            "rate % (“1000000 3”, last “* 1”). Staged: name, start date, unit price "
                                            "(“初创期 2025-01-01 0”)."))
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=5000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])
    is_illustrative = BooleanField(_l("Illustrative (示例)"))
    submit = SubmitField(_l("Save"))
