"""The scenarios domain's forms. The group, scenario and replication forms are built from the
entities' definitions (``schemas.ScenarioGroupFields``, ``ScenarioFields``, ``ReplicationFields``):
each form adds only what the definition does not hold (the version lock, what a scenario needs,
the entries it names, the city a replication opens in, the button)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import form_class
from consortium.core.forms import VersionField

from .schemas import (OPENING_EXCLUDES, EventFields, MembershipFields, ReplicationFields, ScenarioFields,
                      ScenarioGroupFields)


class _GroupBase(FlaskForm):
    version = VersionField()  # optimistic locking: the version the form was opened at
    submit = SubmitField(_l("Save"))


GroupForm = form_class("GroupForm", _GroupBase, ScenarioGroupFields, place=[("version", None)])


class _JoinBase(FlaskForm):
    submit = SubmitField(_l("Ask to join"))


JoinForm = form_class("JoinForm", _JoinBase, MembershipFields)


class _ScenarioBase(FlaskForm):
    """What a scenario form holds beside its definition: what it needs and the entries it names
    (after the origin member, as always)."""
    version = VersionField()
    needs = TextAreaField(_l("Data needed"), validators=[Optional(), Length(max=5000)],
                          description=_l("One per line: name | domain | keyword, e.g. 医保结算数据 | 医疗健康 | 医保"))
    resource_ids = StringField(_l("Specific resource-map entries"), validators=[Optional(), Length(max=500)],
                               description=_l("Entry numbers, separated by commas."))
    submit = SubmitField(_l("Save"))


ScenarioForm = form_class("ScenarioForm", _ScenarioBase, ScenarioFields,
                          place=[("version", None), ("needs", "origin_member"), ("resource_ids", "needs")])


class _StartReplicationBase(FlaskForm):
    member = SelectField(_l("City (member)"), validators=[DataRequired()], choices=[])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Declare interest"))


StartReplicationForm = form_class("StartReplicationForm", _StartReplicationBase, ReplicationFields,
                                  place=[("member", None)], exclude=OPENING_EXCLUDES)


class _ReplicationBase(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Save"))


ReplicationForm = form_class("ReplicationForm", _ReplicationBase, ReplicationFields, place=[("version", None)])


class _StageBase(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Record stage change"))


StageForm = form_class("StageForm", _StageBase, EventFields, place=[("version", None)])


class _WithdrawBase(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Withdraw the replication"))


# 退出 is a stage change to "withdrawn": the event's definition, worded for it (the reason required)
WithdrawForm = form_class("WithdrawForm", _WithdrawBase, EventFields, place=[("version", None)],
                          exclude=("to_stage", "note"),
                          adjust={"reason": {"label": _l("Why does the city withdraw?"), "required": True}})


class RemoveMemberForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the member's users)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Remove from the group"))


class _AcceptInvitationBase(FlaskForm):
    submit = SubmitField(_l("Accept: open the replication at the interest stage"))


AcceptInvitationForm = form_class("AcceptInvitationForm", _AcceptInvitationBase, ReplicationFields,
                                  exclude=OPENING_EXCLUDES)


class DeclineInvitationForm(FlaskForm):
    reason = TextAreaField(_l("Why do you decline? (the lead reads it)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Decline"))


class NoteForm(FlaskForm):
    version = VersionField()
    occurred_on = DateField(_l("Date"), validators=[DataRequired()])
    note = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Add note"))
