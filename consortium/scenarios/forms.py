from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.fields.choices import SelectChoice

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.forms import CheckboxesField, VersionField

from .constants import MATURITIES, STAGES


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may stay lazy."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def mode_choices(locale):
    return as_choices(CIRCULATION_MODES.choices(locale))


class GroupForm(FlaskForm):
    version = VersionField()  # optimistic locking: the version the form was opened at
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Lower-case letters, digits and hyphens, e.g. industry."))
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=160)])
    lead_member = SelectField(_l("Lead member"), validators=[DataRequired()], choices=[])
    description = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=5000)])
    target_count = IntegerField(_l("Target: promotable solutions"), validators=[Optional(), NumberRange(1, 1000)])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    promotable_cities = IntegerField(_l("A scenario is promotable when live in at least this many cities"),
                                     default=3, validators=[DataRequired(), NumberRange(1, 1000)])
    stall_days = IntegerField(_l("Flag a replication as stalled after this many days without an event"),
                              default=60, validators=[DataRequired(), NumberRange(1, 3650)])
    authorisation_before_pilot = BooleanField(
        _l("Scenarios need an approved authorisation application before the pilot stage (one scenario, "
           "one application, one approval)"))
    submit = SubmitField(_l("Save"))


class JoinForm(FlaskForm):
    motivation = TextAreaField(_l("What your organisation brings"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Ask to join"))


class ScenarioForm(FlaskForm):
    version = VersionField()
    title = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Scenario description"), validators=[Optional(), Length(max=10000)])
    origin_member = SelectField(_l("Origin member"), choices=[])
    needs = TextAreaField(_l("Data needed"), validators=[Optional(), Length(max=5000)],
                          description=_l("One per line: name | domain | keyword, e.g. 医保结算数据 | 医疗健康 | 医保"))
    resource_ids = StringField(_l("Specific resource-map entries (IDs, comma separated)"),
                               validators=[Optional(), Length(max=500)])
    modes = CheckboxesField(_l("Circulation modes it works with"), choices=[])
    maturity = SelectField(_l("Maturity"), choices=as_choices(MATURITIES.items()))
    links = TextAreaField(_l("Documents and links (one per line)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class StartReplicationForm(FlaskForm):
    member = SelectField(_l("City (member)"), validators=[DataRequired()], choices=[])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=2000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Declare interest"))


class ReplicationForm(FlaskForm):
    version = VersionField()
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=2000)])
    blockers = TextAreaField(_l("Blockers"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))


class StageForm(FlaskForm):
    version = VersionField()
    to_stage = SelectField(_l("New stage"), choices=as_choices(STAGES.items()))
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    reason = TextAreaField(_l("Reason (required when moving back)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record stage change"))


class WithdrawForm(FlaskForm):
    version = VersionField()
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why does the city withdraw?"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Withdraw the replication"))


class RemoveMemberForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the member's users)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Remove from the group"))


class AcceptInvitationForm(FlaskForm):
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=120)])
    next_step = TextAreaField(_l("Next step"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Accept: open the replication at the interest stage"))


class DeclineInvitationForm(FlaskForm):
    reason = TextAreaField(_l("Why do you decline? (the lead reads it)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Decline"))


class NoteForm(FlaskForm):
    version = VersionField()
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    note = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Add note"))
