"""The one definition of each scenarios entity and the shapes of the scenario API.

``ScenarioGroupFields``, ``ScenarioFields`` and ``ReplicationFields`` hold every field a person
edits, with its limit, vocabulary, label and help (kinds of ``consortium.core.entity``). The
services' rules (``clean_values``), the forms (``forms.py``), the API's request bodies and the
``*Out`` answers are derived from them; adding a field touches the definition, the model, a
migration and the translations.

Request bodies are parsed by the API's framework (``core.api``) with the bodies below: strings
must be strings, ``null`` or a list is refused with the field named, never stored as "None" or "[]".
Answers are dumped by the ``*Out`` schemas below, the one definition of each entity's
JSON (``GroupOut``, ``ScenarioOut``, ``ReplicationOut``, ``EventOut``, ``InvitationOut``)."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.api import Page, PageQuery, answer_context, one_of
from consortium.core.clock import iso_utc
from consortium.core.entity import Choice, Choices, Day, Described, Flag, Text, WholeNumber, input_schema, output_schema
from consortium.core.exceptions import DomainError
from consortium.core.naming import named
from consortium.core.requests import DB_INT_MAX, check_code
from consortium.core.validation import finite_number
from consortium.extensions import db
from consortium.members.models import Member
from consortium.members.naming import person_label

from .constants import DEFAULT_PROMOTABLE_CITIES, DEFAULT_STALL_DAYS, INVITATION_STATUSES, MATURITIES, STAGES
from .queries import list_group_members, promotable_scenarios, stage_counts, visible_resources

GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


# ---------------------------------------------------------------- kinds of this domain

class Count(WholeNumber):
    """A whole number between ``minimum`` and ``maximum`` (thresholds, targets); ``required``
    here means always (the form pre-fills ``initial``)."""

    def __init__(self, *, label, minimum=1, maximum, required=False, initial=None, section=None, help=None,
                 width=4, **kw):
        fields.Integer.__init__(self, strict=True, allow_none=not required,
                                validate=validate.Range(min=minimum, max=maximum), **kw)
        self._describe(label, None, section, help, width, required)
        self.minimum, self.maximum, self.initial = minimum, maximum, initial

    def clean(self, name, value):
        if value is None or value == "":
            if self.must:
                raise DomainError(_("A number is required."), field=name)
            return None
        number = finite_number(value, name, kind=int, minimum=None, maximum=None)
        if not self.minimum <= number <= self.maximum:
            raise DomainError(_("Enter a number between %(low)d and %(high)d.", low=self.minimum, high=self.maximum),
                              field=name)
        return number

    def out_field(self):
        return fields.Integer(allow_none=not self.must, required=True)

    def form_field(self):
        return IntegerField(self.label, default=self.initial, description=self.help or "",
                            validators=[DataRequired() if self.must else Optional(),
                                        NumberRange(self.minimum, self.maximum)])


class _MemberCode(fields.Field):
    """A member in JSON: its code (null when none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.code if value is not None else None


class MemberRef(fields.String, Described):
    """A member organisation chosen from a list the page fills (active members): in a form its
    id, in the API its code (the API resolves it), in JSON its code."""

    def __init__(self, *, label, required=False, section=None, help=None, width=6, **kw):
        super().__init__(validate=validate.Length(min=1, max=60), allow_none=not required, **kw)
        self._describe(label, None, section, help, width, required)

    def clean(self, name, value):
        if value is None or value == "" or isinstance(value, Member):
            return value or None
        if str(value).isdigit():
            member = db.session.get(Member, int(value))
            if member is not None:
                return member
        raise DomainError(_("Unknown member."), field=name)

    def to_json(self, value, locale):
        return value.code if value is not None else None

    def to_cell(self, value, locale):
        return value.display_name(str(locale)) if value is not None else ""

    def out_field(self):
        return _MemberCode(required=True, metadata={"type": ["string", "null"]})

    def form_field(self):
        return SelectField(self.label, choices=[], description=self.help or "",
                           validators=[DataRequired()] if self.must else [])


def _group_code(value, name):
    value = value.lower()
    check_code(value)
    if not GROUP_CODE.match(value):
        raise DomainError(_("The code uses lower-case letters, digits and hyphens (2–40)."), field=name)
    return value


def _lines(value, name):
    """One item per line, blank lines dropped."""
    return "\n".join(x.strip() for x in value.splitlines() if x.strip())


# ---------------------------------------------------------------- the definitions

class ScenarioGroupFields(Schema):
    """A scenario group (垂直场景联合攻坚小组), field by field, in the order of its form."""

    code = Text(40, required=True, label=_l("Code"), normalise=_group_code,
                help=_l("Lower-case letters, digits and hyphens, e.g. industry."))
    name = Text(120, required=True, label=_l("Name (Chinese)"))
    name_en = Text(160, label=_l("Name (English)"))
    lead_member = MemberRef(required=True, label=_l("Lead member"))
    description = Text(5000, label=_l("Purpose"), multiline=True)
    target_count = Count(maximum=1000, label=_l("Target: promotable solutions"))
    target_date = Day(label=_l("Target date"))
    promotable_cities = Count(maximum=1000, required=True, initial=DEFAULT_PROMOTABLE_CITIES,
                              label=_l("A scenario is promotable when live in at least this many cities"))
    stall_days = Count(maximum=3650, required=True, initial=DEFAULT_STALL_DAYS,
                       label=_l("Flag a replication as stalled after this many days without an event"))
    authorisation_before_pilot = Flag(label=_l(
        "Scenarios need an approved authorisation application before the pilot stage (one scenario, "
        "one application, one approval)"))


class ScenarioFields(Schema):
    """A seed scenario (种子场景), field by field, in the order of its form. What it needs (a
    list of kinds of data) and the entries it names are not plain fields: see the services."""

    title = Text(200, required=True, label=_l("Title (Chinese)"))
    title_en = Text(200, label=_l("Title (English)"))
    description = Text(10000, label=_l("Scenario description"), multiline=True)
    origin_member = MemberRef(label=_l("Origin member"))
    circulation_modes = Choices(CIRCULATION_MODES, label=_l("Circulation modes it works with"),
                                unknown=_l("Unknown circulation mode."))
    maturity = Choice(MATURITIES, label=_l("Maturity"), plain=True, unknown=_l("Unknown maturity."))
    links = Text(5000, label=_l("Documents and links (one per line)"), multiline=True, normalise=_lines)


class ReplicationFields(Schema):
    """A replication (one scenario in one city): what its people write about it. The stage only
    changes through dated events."""

    owner = Text(120, label=_l("Owner"))
    next_step = Text(2000, label=_l("Next step"), multiline=True)
    blockers = Text(2000, label=_l("Blockers"), multiline=True)


# the fields a replication is opened with (blockers come later, on its page)
OPENING_EXCLUDES = ("blockers",)


class EventFields(Schema):
    """A stage change of a replication (a dated event, never an overwrite)."""

    to_stage = Choice(STAGES, required=True, label=_l("New stage"), unknown=_l("Unknown stage."))
    occurred_on = Day(required=True, label=_l("Date"))
    note = Text(2000, label=_l("Note"), multiline=True)
    reason = Text(2000, label=_l("Reason (required when moving back)"), multiline=True)


class MembershipFields(Schema):
    """A member's request to join a scenario group."""

    motivation = Text(2000, label=_l("What your organisation brings"), multiline=True)


class JoinDecisionFields(Schema):
    """The lead's answer to a join request (the reason is required when declining)."""

    reason = Text(2000, label=_l("Reason"), multiline=True)


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
