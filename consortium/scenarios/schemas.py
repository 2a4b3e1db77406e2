"""The shapes of the scenario API's request bodies (marshmallow), parsed by
``core.api.parse_body`` and described in /api/v1/openapi.json. Strings must be
strings: ``null`` or a list is refused with the field named, never stored as
"None" or "[]"."""
from marshmallow import Schema, fields, validate

from consortium.catalog.constants import CIRCULATION_MODES
from consortium.core.requests import DB_INT_MAX

from .constants import MATURITIES, STAGES


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
