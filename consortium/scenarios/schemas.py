"""The shapes of the scenario API (marshmallow), described in /api/v1/openapi.json.
Request bodies are parsed by ``core.api.parse_body``: strings must be strings, ``null``
or a list is refused with the field named, never stored as "None" or "[]".
Answers are dumped by the ``*Out`` schemas below, the one definition of each entity's
JSON (``GroupOut``, ``ScenarioOut``, ``ReplicationOut``, ``EventOut``, ``InvitationOut``)."""

from marshmallow import Schema, fields, validate

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.clock import iso_utc
from consortium.core.requests import DB_INT_MAX

from .constants import MATURITIES, STAGES
from .services.memberships import list_group_members
from .services.replications import promotable_scenarios, stage_counts
from .services.scenarios import visible_resources


def _text(n, **kw):
    return fields.String(validate=validate.Length(max=n), **kw)


class Need(Schema):
    label = _text(120, required=True)
    domain = _text(30, metadata={"description": "a domain code or its Chinese label, e.g. transport or 交通"})
    keyword = _text(60)


class ScenarioCreate(Schema):
    group = _text(60, required=True)
    title = _text(200, required=True)
    title_en = _text(200)
    description = _text(5000)
    origin_member = _text(60, allow_none=True)
    needs = fields.List(fields.Nested(Need), validate=validate.Length(max=50))
    circulation_modes = fields.List(fields.String(validate=validate.OneOf(list(CIRCULATION_MODES))))
    resource_ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=DB_INT_MAX)),
                               validate=validate.Length(max=200))
    maturity = fields.String(validate=validate.OneOf(list(MATURITIES)))
    links = fields.List(_text(500), validate=validate.Length(max=20))


class ReplicationStart(Schema):
    member = _text(60, required=True)
    owner = _text(120)
    next_step = _text(500)
    note = _text(2000)
    occurred_on = fields.Date(allow_none=True)


class Version(Schema):
    version = fields.Integer(strict=True, required=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                             metadata={"description": "the version you read (optimistic locking)"})


class ReplicationUpdate(Version):
    owner = _text(120)
    next_step = _text(500)
    blockers = _text(2000)


class EventCreate(Version):
    to_stage = fields.String(allow_none=True, validate=validate.OneOf(["", *STAGES]))
    note = _text(2000)
    reason = _text(500)
    occurred_on = fields.Date(allow_none=True)


class InvitationAccept(Schema):
    owner = _text(100)
    next_step = _text(500)


class InvitationDecline(Schema):
    reason = _text(2000, required=True)


# ---------------------------------------------------------------- answers


utc_stamp = iso_utc  # a stored instant as ISO text in UTC with a ``Z``


class GroupMemberRef(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class GroupOut(Schema):
    """A scenario group. ``counts`` (replication counts by scenario and stage, as
    ``services.replications.stage_counts`` gives them) are computed when not passed."""
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    purpose = fields.String(attribute="description", required=True)
    lead = fields.Nested(GroupMemberRef, attribute="lead_member", required=True)
    target_count = fields.Integer(allow_none=True, required=True)
    target_date = fields.Date(allow_none=True, required=True)
    promotable_cities = fields.Integer(required=True)
    stall_days = fields.Integer(required=True)
    scenario_count = fields.Function(lambda g: len(g.scenarios), required=True, metadata={"type": "integer"})
    promotable_scenarios = fields.Method("_promotable", required=True,
                                         metadata={"type": "array", "items": {"type": "integer"}})

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


class ScenarioOut(Schema):
    """A seed scenario as ``viewer`` may see it: linked resource-map entries the viewer
    cannot see are left out of ``resource_ids``; ``stage_counts`` come from ``counts``."""
    id = fields.Integer(required=True)
    group = fields.String(attribute="group.code", required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    description = fields.String(required=True)
    origin_member = fields.Function(lambda s: s.origin_member.code if s.origin_member else None, required=True,
                                    metadata={"type": ["string", "null"]})
    needs = fields.List(fields.Nested(NeedOut), required=True)
    resource_ids = fields.Method("_resource_ids", required=True,
                                 metadata={"type": "array", "items": {"type": "integer"}})
    circulation_modes = fields.List(fields.String(), required=True)
    maturity = fields.String(required=True)
    links = fields.List(fields.String(), attribute="link_list", required=True)
    illustrative = fields.Boolean(attribute="is_illustrative", required=True)
    stage_counts = fields.Method("_stage_counts", required=True,
                                 metadata={"type": "object", "additionalProperties": {"type": "integer"}})

    def __init__(self, *args, viewer=None, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer, self.counts = viewer, counts

    def _resource_ids(self, scenario):
        return [r.id for r in visible_resources(self.viewer, scenario)]

    def _stage_counts(self, scenario):
        return (self.counts or {}).get(scenario.id, {})


class ReplicationOut(Schema):
    id = fields.Integer(required=True)
    scenario_id = fields.Integer(required=True)
    member = fields.String(attribute="member.code", required=True)
    member_name = fields.String(attribute="member.name", required=True)
    city = fields.String(attribute="member.city.name", required=True)
    stage = fields.String(required=True)
    owner = fields.String(required=True)
    next_step = fields.String(required=True)
    blockers = fields.String(required=True)
    last_event_on = fields.Date(required=True)
    version = fields.Integer(required=True)
    illustrative = fields.Boolean(attribute="is_illustrative", required=True)


class EventOut(Schema):
    id = fields.Integer(required=True)
    from_stage = fields.String(allow_none=True, required=True)
    to_stage = fields.String(required=True)
    occurred_on = fields.Date(required=True)
    note = fields.String(required=True)
    reason = fields.String(required=True)
    author = fields.String(attribute="author_label", required=True)


class InvitationOut(Schema):
    id = fields.Integer(required=True)
    scenario_id = fields.Integer(required=True)
    scenario = fields.String(attribute="scenario.title", required=True)
    group = fields.String(attribute="scenario.group.code", required=True)
    member = fields.String(attribute="member.code", required=True)
    status = fields.String(required=True)
    note = fields.String(required=True)
    reason = fields.String(required=True)
    invited_by = fields.String(attribute="invited_by_label", required=True)
    created_at = fields.Function(lambda i: utc_stamp(i.created_at), required=True,
                                 metadata={"type": "string", "format": "date-time"})
    answered_at = fields.Function(lambda i: utc_stamp(i.answered_at), required=True,
                                  metadata={"type": ["string", "null"], "format": "date-time"})
    replication_id = fields.Integer(allow_none=True, required=True)


class ScenarioPage(Schema):
    items = fields.List(fields.Nested(ScenarioOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


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
