"""The scenarios domain's forms. The group, scenario and replication forms are built from the
entities' definitions (``schemas.ScenarioGroupFields``, ``ScenarioFields``, ``ReplicationFields``):
each form adds only what the definition does not hold (the version lock, what a scenario needs,
the entries it names, the city a replication opens in, the button)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import described
from consortium.core.forms import VersionField

from .constants import STAGES
from .schemas import OPENING_EXCLUDES, ReplicationFields, ScenarioFields, ScenarioGroupFields


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may stay lazy."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def defined_form(name, definition, *, head=(), after=None, tail=(), exclude=()) -> type[FlaskForm]:
    """A form class: the ``head`` fields, the definition's fields (each followed by the fields
    ``after`` names for it), then ``tail``. Fields are given as (name, factory) so that they are
    made in this order, the order WTForms renders them in."""
    after = after or {}
    body = {}
    for field_name, make in head:
        body[field_name] = make()
    for field_name, kind in described(definition).items():
        if field_name in exclude or not hasattr(kind, "form_field"):
            continue
        body[field_name] = kind.form_field()  # made one by one: the extras after it come next
        for extra_name, make in after.get(field_name, ()):
            body[extra_name] = make()
    for field_name, make in tail:
        body[field_name] = make()
    return type(name, (FlaskForm,), body)


def _save():
    return SubmitField(_l("Save"))


GroupForm = defined_form("GroupForm", ScenarioGroupFields, head=[("version", VersionField)], tail=[("submit", _save)])


class JoinForm(FlaskForm):
    motivation = TextAreaField(_l("What your organisation brings"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Ask to join"))


ScenarioForm = defined_form("ScenarioForm", ScenarioFields, head=[("version", VersionField)], after={
    "origin_member": [
        ("needs", lambda: TextAreaField(
            _l("Data needed"), validators=[Optional(), Length(max=5000)],
            description=_l("One per line: name | domain | keyword, e.g. 医保结算数据 | 医疗健康 | 医保"))),
        ("resource_ids", lambda: StringField(_l("Specific resource-map entries (IDs, comma separated)"),
                                             validators=[Optional(), Length(max=500)]))]},
    tail=[("submit", _save)])

StartReplicationForm = defined_form(
    "StartReplicationForm", ReplicationFields, exclude=OPENING_EXCLUDES,
    head=[("member", lambda: SelectField(_l("City (member)"), validators=[DataRequired()], choices=[]))],
    tail=[("note", lambda: TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])),
          ("submit", lambda: SubmitField(_l("Declare interest")))])

ReplicationForm = defined_form("ReplicationForm", ReplicationFields, head=[("version", VersionField)],
                               tail=[("submit", _save)])


class StageForm(FlaskForm):
    version = VersionField()
    to_stage = SelectField(_l("New stage"), choices=lambda: STAGES.choices(get_locale()))
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


AcceptInvitationForm = defined_form(
    "AcceptInvitationForm", ReplicationFields, exclude=OPENING_EXCLUDES,
    tail=[("submit", lambda: SubmitField(_l("Accept: open the replication at the interest stage")))])


class DeclineInvitationForm(FlaskForm):
    reason = TextAreaField(_l("Why do you decline? (the lead reads it)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Decline"))


class NoteForm(FlaskForm):
    version = VersionField()
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    note = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Add note"))
