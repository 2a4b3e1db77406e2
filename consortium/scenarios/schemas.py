"""The definition of each scenarios entity, made from its model, and the shapes of the scenario API.

``ScenarioGroupFields``, ``ScenarioFields`` and ``ReplicationFields`` hold every field a person
edits, declared with its label and help on the model's column (its kind and limit are the
column's, see ``consortium.core.entity``). The services' rules (``clean_values``), the forms
(``forms.py``), the API's request bodies and the ``*Out`` answers are derived from them; adding a
field touches the model, a migration and the translations.

Request bodies are parsed by the API's framework (``core.api``) with the bodies below: strings
must be strings, ``null`` or a list is refused with the field named, never stored as "None" or "[]".
Answers are dumped by the ``*Out`` schemas below, the one definition of each entity's
JSON (``GroupOut``, ``ScenarioOut``, ``ReplicationOut``, ``EventOut``, ``InvitationOut``)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from wtforms import SelectField

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.api import Page, PageQuery, answer_context, one_of
from consortium.core.clock import iso_utc
from consortium.core.entity import Choices, Described, definition, input_schema, output_schema
from consortium.core.naming import named
from consortium.core.requests import DB_INT_MAX, row_id
from consortium.extensions import db
from consortium.members.models import Member
from consortium.members.naming import person_label

from .constants import INVITATION_STATUSES, STAGES
from .models import GroupMembership, Replication, ReplicationEvent, Scenario, ScenarioGroup
from .queries import list_group_members, promotable_scenarios, stage_counts, visible_resources

# ---------------------------------------------------------------- kinds of this domain

class _MemberCode(fields.Field):
    """A member in JSON: its code (null when none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.code if value is not None else None


class _CodeLength(validate.Length):
    """The length of a member's code in an API body (a service is given the member itself)."""

    def __call__(self, value):
        return super().__call__(value) if isinstance(value, str) else value


class MemberRef(Described, fields.String):
    """A member organisation chosen from a list the page fills (active members): in a form its
    id, in the API its code (the API resolves it), in JSON its code."""

    def __init__(self, *, label, required=False, section=None, help=None, width=6, **kw):
        super().__init__(validate=_CodeLength(min=1, max=60), allow_none=not required, **kw)
        self._describe(label, None, section, help, width, required)

    def _deserialize(self, value, attr, data, **kwargs):
        if self.json:
            return super()._deserialize(value, attr, data, **kwargs)  # a code: the API resolves it
        if value is None or value == "" or isinstance(value, Member):
            return value or None
        if (number := row_id(value)) is not None:
            member = db.session.get(Member, number)
            if member is not None:
                return member
        raise ValidationError(_("Unknown member."))

    def to_json(self, value, locale):
        return value.code if value is not None else None

    def to_cell(self, value, locale):
        return value.display_name(str(locale)) if value is not None else ""

    def out_field(self):
        return _MemberCode(required=True, metadata={"type": ["string", "null"]})

    def form_field(self):
        return SelectField(self.label, choices=[], description=self.help or "", render_kw=self._hints())


# ---------------------------------------------------------------- the definitions, from the models
# The fields people write are declared on the models' columns; the references to members (the
# models keep their ids) and the circulation modes (kept as a bit mask) are declared here.

# A scenario group (垂直场景联合攻坚小组), in the order of its form.
ScenarioGroupFields = definition(ScenarioGroup, "ScenarioGroupFields", extra={
    "lead_member": MemberRef(required=True, label=_l("Lead member"))}, place=(("lead_member", "name_en"),))
# A seed scenario (种子场景), in the order of its form. What it needs (a list of kinds of data) and the
# entries it names are not plain fields: see the services.
ScenarioFields = definition(Scenario, "ScenarioFields", extra={
    "origin_member": MemberRef(label=_l("Origin member")),
    "circulation_modes": Choices(CIRCULATION_MODES, label=_l("Circulation modes it works with"),
                                 unknown=_l("Unknown circulation mode."))},
    place=(("origin_member", "description"), ("circulation_modes", "origin_member")))
# A replication (one scenario in one city): what its people write about it. The stage only changes
# through dated events (EventFields: a dated event, never an overwrite).
ReplicationFields = definition(Replication, "ReplicationFields")
EventFields = definition(ReplicationEvent, "EventFields")
# A member's request to join a scenario group; the lead's answer (the reason is required when declining).
MembershipFields = definition(GroupMembership, "MembershipFields")
JoinDecisionFields = definition(GroupMembership, "JoinDecisionFields", part="decision")

# the fields a replication is opened with (blockers come later, on its page)
OPENING_EXCLUDES = ("blockers",)


def _text(n, **kw):
    return fields.String(validate=validate.Length(max=n), **kw)


# ---------------------------------------------------------------- what clients send

class Need(Schema):
    label = _text(120, required=True)
    domain = _text(30, metadata={"description": "a domain code or its Chinese label, e.g. transport or 交通"})
    keyword = _text(60)


ScenarioCreate = input_schema(ScenarioFields, "ScenarioCreate", {
    "group": _text(60, required=True),
    "origin_member": _text(60, allow_none=True, metadata={"description": "the origin member's code"}),
    "needs": fields.List(fields.Nested(Need), validate=validate.Length(max=50)),
    "resource_ids": fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=DB_INT_MAX)),
                                validate=validate.Length(max=200)),
    "links": fields.List(_text(500), validate=validate.Length(max=20))}, creating=True)


class ReplicationStart(input_schema(ReplicationFields, "ReplicationStartBody", {
        "member": _text(60, required=True), "note": _text(2000), "occurred_on": fields.Date(allow_none=True)})):
    class Meta:
        exclude = OPENING_EXCLUDES


class Version(Schema):
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                             metadata={"description": "the version you read (optimistic locking)"})


ReplicationUpdate = input_schema(ReplicationFields, "ReplicationUpdate", dict(Version._declared_fields))


class EventCreate(input_schema(EventFields, "EventCreateBody", dict(Version._declared_fields))):
    """A stage change, or with no ``to_stage`` a progress note; limits from ``EventFields``."""
    to_stage = fields.String(allow_none=True, validate=validate.OneOf(["", *STAGES]))


class InvitationAccept(input_schema(ReplicationFields, "InvitationAcceptBody", {})):
    class Meta:
        exclude = OPENING_EXCLUDES


class InvitationDecline(Schema):
    reason = _text(2000, required=True)


# ---------------------------------------------------------------- answers


utc_stamp = iso_utc  # a stored instant as ISO text in UTC with a ``Z``


class GroupMemberRef(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class GroupOut(output_schema(ScenarioGroupFields, "GroupDefined", {
        "purpose": fields.String(attribute="description", required=True),
        "lead": fields.Nested(GroupMemberRef, attribute="lead_member", required=True)})):
    """A scenario group: its definition's fields (the purpose named ``purpose``, the lead as
    ``lead``; the authorisation switch is not part of the answer). ``counts`` (replication
    counts by scenario and stage, as ``services.replications.stage_counts`` gives them) are
    computed when not passed."""
    scenario_count = fields.Function(lambda g: len(g.scenarios), required=True, metadata={"type": "integer"})
    promotable_scenarios = fields.Method("_promotable", required=True,
                                         metadata={"type": "array", "items": {"type": "integer"}})

    class Meta:
        exclude = ("description", "lead_member", "authorisation_before_pilot")

    def __init__(self, *args, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = counts

    def _promotable(self, group):
        counts = self.counts if self.counts is not None else stage_counts(group=group)
        return promotable_scenarios(group, counts)


class ScenarioRef(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class GroupDetailOut(GroupOut):
    members = fields.Method("_members", required=True,
                            metadata={"type": "array", "items": {"type": "object", "properties": {
                                "code": {"type": "string"}, "name": {"type": "string"}}}})
    scenarios = fields.List(fields.Nested(ScenarioRef), required=True)

    def _members(self, group):
        return GroupMemberRef(many=True).dump([m.member for m in list_group_members(group)])


class GroupList(Schema):
    items = fields.List(fields.Nested(GroupOut), required=True)


class NeedOut(Schema):
    domain = fields.String(required=True)
    label = fields.String(required=True)
    keyword = fields.String(required=True)


class ScenarioOut(output_schema(ScenarioFields, "ScenarioDefined", {
        "id": fields.Integer(required=True),
        "group": fields.String(attribute="group.code", required=True),
        "circulation_modes": fields.List(fields.String(), required=True),
        "links": fields.List(fields.String(), attribute="link_list", required=True)})):
    """A seed scenario as the viewer may see it: its definition's fields (circulation modes and
    links as lists of codes and lines), what it needs, the linked resource-map entries the viewer
    may see (``resource_ids``) and its ``stage_counts`` (the view puts ``viewer`` and ``counts``
    in ``core.api.answer_context``)."""
    needs = fields.List(fields.Nested(NeedOut), required=True)
    resource_ids = fields.Method("_resource_ids", required=True,
                                 metadata={"type": "array", "items": {"type": "integer"}})
    illustrative = fields.Boolean(attribute="is_illustrative", required=True)
    stage_counts = fields.Method("_stage_counts", required=True,
                                 metadata={"type": "object", "additionalProperties": {"type": "integer"}})

    def _resource_ids(self, scenario):
        return [r.id for r in visible_resources(answer_context().get("viewer"), scenario)]

    def _stage_counts(self, scenario):
        return (answer_context().get("counts") or {}).get(scenario.id, {})


ReplicationOut = output_schema(ReplicationFields, "ReplicationOut", {
    "id": fields.Integer(required=True),
    "scenario_id": fields.Integer(required=True),
    "member": fields.String(attribute="member.code", required=True),
    "member_name": fields.Function(lambda r: named(r.member), required=True,
                                   metadata={"type": "string", "description": "the member's name in the reader's language (the English name on English requests where the data has one)"}),
    "city": fields.Function(lambda r: named(r.member.city), required=True,
                            metadata={"type": "string", "description": "the member's city in the reader's language (the English name on English requests where the data has one)"}),
    "stage": fields.String(required=True),
    "last_event_on": fields.Date(required=True),
    "version": fields.Integer(required=True),
    "illustrative": fields.Boolean(attribute="is_illustrative", required=True)})


class EventOut(Schema):
    id = fields.Integer(required=True)
    from_stage = fields.String(allow_none=True, required=True)
    to_stage = fields.String(required=True)
    occurred_on = fields.Date(required=True)
    note = fields.String(required=True)
    reason = fields.String(required=True)
    author = fields.Function(lambda e: person_label(e.author_label), required=True,
                             metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"})


class InvitationOut(Schema):
    id = fields.Integer(required=True)
    scenario_id = fields.Integer(required=True)
    scenario = fields.String(attribute="scenario.title", required=True)
    group = fields.String(attribute="scenario.group.code", required=True)
    member = fields.String(attribute="member.code", required=True)
    status = fields.String(required=True)
    note = fields.String(required=True)
    reason = fields.String(required=True)
    invited_by = fields.Function(lambda i: person_label(i.invited_by_label), required=True,
                                 metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"})
    created_at = fields.Function(lambda i: utc_stamp(i.created_at), required=True,
                                 metadata={"type": "string", "format": "date-time"})
    answered_at = fields.Function(lambda i: utc_stamp(i.answered_at), required=True,
                                  metadata={"type": ["string", "null"], "format": "date-time"})
    replication_id = fields.Integer(allow_none=True, required=True)


class ScenarioPage(Page):
    items = fields.List(fields.Nested(ScenarioOut), required=True)


class ScenarioQuery(PageQuery):
    group = fields.String(metadata={"description": "a group's code, e.g. transport"})
    q = fields.String(metadata={"description": "part of the title"})


class InvitationQuery(Schema):
    status = one_of(INVITATION_STATUSES, load_default="pending")


class ReplicationList(Schema):
    """``items`` is null for visitors, who see the aggregate counts only."""
    scenario_id = fields.Integer(required=True)
    aggregate = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    items = fields.List(fields.Nested(ReplicationOut), allow_none=True, required=True)


class EventList(Schema):
    replication = fields.Nested(ReplicationOut, required=True)
    items = fields.List(fields.Nested(EventOut), required=True)


class EventWritten(Schema):
    event = fields.Nested(EventOut, required=True)
    replication = fields.Nested(ReplicationOut, required=True)


class InvitationList(Schema):
    items = fields.List(fields.Nested(InvitationOut), required=True)


class InvitationAnswered(Schema):
    invitation = fields.Nested(InvitationOut, required=True)
    replication = fields.Nested(ReplicationOut)
