"""The JSON shape of a city's overview (/api/v1/cities/<adcode>/overview), described in
/api/v1/openapi.json. Names are given in the request's language (English where the data has
an English name)."""
from marshmallow import Schema, fields

from consortium.geo.schemas import CityOut


class NamedOut(Schema):
    code = fields.String(required=True, metadata={"description": "The member's, body's or domain's code."})
    name = fields.String(required=True, metadata={"description": "Its name in the request's language."})


class DomainCountOut(Schema):
    code = fields.String(required=True, metadata={"description": "The domain's code."})
    name = fields.String(required=True)
    entries = fields.Integer(required=True, metadata={"description": "Entries the caller may see."})
    search = fields.String(required=True, metadata={"description": "The search of these entries (a path)."})


class ScenarioRefOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    group = fields.String(required=True)


class ReplicationRefOut(Schema):
    id = fields.Integer(required=True)
    scenario = fields.Nested(ScenarioRefOut, required=True)
    member = fields.Nested(NamedOut, required=True)
    stage = fields.String(required=True, metadata={"description": "The stage's code."})
    stage_label = fields.String(required=True)


class SpaceRefOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    operator = fields.Nested(NamedOut, allow_none=True, required=True)


class CountingBodyOut(Schema):
    body = fields.Nested(NamedOut, required=True)
    city = fields.String(required=True, metadata={"description": "The body's city (adcode)."})
    local = fields.Boolean(required=True, metadata={"description": "A body of this city."})
    recognised_by = fields.List(fields.Nested(NamedOut), required=True,
                                metadata={"description": "This city's bodies recognising it today."})


class CityOverviewOut(Schema):
    city = fields.Nested(CityOut, required=True)
    members = fields.List(fields.Nested(NamedOut), required=True)
    entries = fields.List(fields.Nested(DomainCountOut), required=True,
                          metadata={"description": "Per domain; a visitor counts public entries only."})
    seed_scenarios = fields.List(fields.Nested(ScenarioRefOut), required=True)
    replications_visible = fields.Boolean(required=True,
                                          metadata={"description": "Replications are shown to signed-in users only."})
    replications = fields.List(fields.Nested(ReplicationRefOut), required=True)
    data_spaces = fields.List(fields.Nested(SpaceRefOut), required=True)
    registration_bodies = fields.List(fields.Nested(CountingBodyOut), required=True,
                                      metadata={"description": "Bodies whose certificates count in the city today."})
