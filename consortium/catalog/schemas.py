"""The shapes of the resource map's JSON API (marshmallow): what a client may
send (parsed by ``core.api.parse_body``) and what it gets back (for the OpenAPI
description at /api/v1/openapi.json). The rules themselves stay in services."""
from marshmallow import Schema, fields, validate

from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, LICENCES, OPENNESS
from .search import SORTS
from .services import TEXT_LIMITS


def _text(name, **kw):
    return fields.String(validate=validate.Length(max=TEXT_LIMITS[name]), **kw)


class ResourceInput(Schema):
    """An entry's editable fields. Strings must be strings (``[]`` or ``null`` is refused, never
    stored as "[]"/"None"), whole numbers must be whole (1.5 is refused), numbers finite."""

    code = _text("code")
    title = _text("title")
    description = _text("description")
    keywords = _text("keywords")
    department = _text("department")
    contact_name = _text("contact_name")
    contact_email = _text("contact_email")
    spatial_coverage = _text("spatial_coverage")
    registration_no = _text("registration_no")
    formats = _text("formats")
    domain = fields.String(validate=validate.OneOf(list(DOMAINS)))
    frequency = fields.String(validate=validate.OneOf(list(FREQUENCIES)))
    openness = fields.String(validate=validate.OneOf(list(OPENNESS)))
    circulation_modes = fields.List(fields.String(validate=validate.OneOf(list(CIRCULATION_MODES))))
    record_count = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=10**15))
    size_mb = fields.Float(allow_nan=False, allow_none=True, validate=validate.Range(min=0, max=10**12))
    has_api = fields.Boolean()
    is_public = fields.Boolean()
    temporal_start = fields.Date(allow_none=True)
    temporal_end = fields.Date(allow_none=True)
    data_updated_on = fields.Date(allow_none=True)
    contact_phone = _text("contact_phone")
    licence = fields.String(validate=validate.OneOf(["", *LICENCES]))
    usage_conditions = _text("usage_conditions")
    schema_fields = fields.List(fields.Dict(keys=fields.String(), values=fields.String()),
                                validate=validate.Length(max=200))
    sample_csv = _text("sample_csv")


class ResourceUpdate(ResourceInput):
    """A change: the optional ``version`` the client read (optimistic locking); when sent, a
    stale one answers 409 instead of overwriting."""
    version = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class ResourceCreate(ResourceInput):
    code = _text("code", required=True, metadata={"example": "QD-API-001"})
    title = _text("title", required=True, metadata={"example": "公交线路与站点数据"})
    domain = fields.String(required=True, validate=validate.OneOf(list(DOMAINS)), metadata={"example": "transport"})
    frequency = fields.String(required=True, validate=validate.OneOf(list(FREQUENCIES)),
                              metadata={"example": "daily"})
    openness = fields.String(required=True, validate=validate.OneOf(list(OPENNESS)), metadata={"example": "open"})
    member = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "owning member's code (default: your own)",
                                     "example": "qingdao"})


class SearchQuery(Schema):
    q = fields.String(validate=validate.Length(max=100))
    province = fields.String()
    city = fields.String()
    member = fields.String()
    domain = fields.String(validate=validate.OneOf(list(DOMAINS)))
    mode = fields.String(validate=validate.OneOf(list(CIRCULATION_MODES)))
    openness = fields.String(validate=validate.OneOf(list(OPENNESS)))
    frequency = fields.String(validate=validate.OneOf(list(FREQUENCIES)))
    sort = fields.String(validate=validate.OneOf(list(SORTS)))
    page = fields.Integer(validate=validate.Range(min=1, max=10**6))
    per_page = fields.Integer(validate=validate.Range(min=1, max=100))


class Coded(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)


class NamedRef(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class ProvinceRef(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class CityRef(Schema):
    adcode = fields.String(required=True)
    name = fields.String(required=True)
    province = fields.Nested(ProvinceRef, required=True)


class ResourceOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    keywords = fields.List(fields.String(), required=True)
    domain = fields.Nested(Coded, required=True)
    frequency = fields.Nested(Coded, required=True)
    openness = fields.Nested(Coded, required=True)
    circulation_modes = fields.List(fields.Nested(Coded), required=True)
    record_count = fields.Integer(allow_none=True, required=True)
    size_mb = fields.Float(allow_none=True, required=True)
    temporal_start = fields.Date(allow_none=True, required=True)
    temporal_end = fields.Date(allow_none=True, required=True)
    department = fields.String(required=True)
    contact_name = fields.String(required=True)
    contact_email = fields.String(required=True)
    spatial_coverage = fields.String(required=True)
    registration_no = fields.String(required=True)
    data_updated_on = fields.Date(allow_none=True, required=True)
    city = fields.Nested(CityRef, required=True)
    formats = fields.List(fields.String(), required=True)
    has_api = fields.Boolean(required=True)
    is_public = fields.Boolean(required=True)
    status = fields.String(required=True)
    version = fields.Integer(required=True)
    member = fields.Nested(NamedRef, required=True)
    url = fields.String(required=True)
    contact_phone = fields.String(required=True)
    licence = fields.Nested(Coded, allow_none=True, required=True)
    usage_conditions = fields.String(required=True)
    schema_fields = fields.List(fields.Dict(), required=True)
    sample_csv = fields.String(required=True)


class ResourcePage(Schema):
    items = fields.List(fields.Nested(ResourceOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    facets = fields.Dict(required=True)
