"""The resource map entry's definition (``ResourceFields``), made from its model, whose columns
declare every field's label, form section and spreadsheet column (the type and limit are the
column's, the vocabulary named there). Services validate with it; the entry form, the JSON API
(what a client sends and gets, and its OpenAPI description), the spreadsheet import, its template
and the export are built from it (see ``consortium.core.entity``). Adding a field: the model, a
migration and the translations."""

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from consortium.core.api import Computed, DbId, Page, PageQuery, StrictBoolean, Whole, instant, one_of
from consortium.core.entity import Choices, Text, definition, input_schema, output_schema
from consortium.core.entity import Coded as Coded

from . import extras
from .access.models import DELIVERY_METHODS
from .access.models import STATUSES as ACCESS_STATUSES
from .access.models import AccessRequest
from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS, USE
from .models import DataResource
from .search.params import SORTS

# A resource map entry (数据资源目录条目), in the order of the form and of the spreadsheet columns;
# its circulation modes are kept as a bit mask.
ResourceFields = definition(DataResource, "ResourceFields", extra={
    "circulation_modes": Choices(CIRCULATION_MODES, label=_l("Circulation modes in the trusted data space"),
                                 column=("流通模式", "Circulation modes"), section=USE,
                                 unknown=_l("Unknown circulation mode: %(value)s"))},
    place=(("circulation_modes", "openness"),))


# ---- the JSON API's shapes, derived from the definition

def _locale() -> str:
    return str(get_locale())


class _Member(Schema):
    code = fields.String(required=True)
    name = fields.Function(lambda m: m.display_name(_locale()), required=True, metadata={"type": "string"})


class _Province(Schema):
    code = fields.String(required=True)
    name = fields.Function(lambda p: p.display_name(_locale()), required=True, metadata={"type": "string"})


class _City(Schema):
    adcode = fields.String(required=True)
    name = fields.Function(lambda c: c.display_name(_locale()), required=True, metadata={"type": "string"})
    province = fields.Nested(_Province, required=True)


ResourceUpdate = input_schema(ResourceFields, "ResourceUpdate", {
    "version": fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                              metadata={"description": "the version the client read: a stale one answers 409"})})
ResourceCreate = input_schema(ResourceFields, "ResourceCreate", {
    "member": fields.String(validate=validate.Length(min=1, max=60),
                            metadata={"description": "owning member's code (default: your own)",
                                      "example": "qingdao"})}, creating=True)
ResourceOut = output_schema(ResourceFields, "ResourceOut", {
    "id": fields.Integer(required=True), "status": fields.String(required=True),
    "version": fields.Integer(required=True), "member": fields.Nested(_Member, required=True),
    "city": fields.Nested(_City, required=True),
    "url": fields.Function(lambda r: url_for("catalog.detail", resource_id=r.id), required=True,
                           metadata={"type": "string"})})


class SearchQuery(PageQuery):
    """The search's parameters (``search.SearchParams`` reads them further: a province, city or
    member that does not exist is refused there); the filters other domains add are added to the
    blueprint's instance when the app starts (``api.describe_extra_filters``)."""
    q = fields.String(metadata={"maxLength": 100, "description": "every term a substring of the entry"})
    province = fields.String(metadata={"description": "a province's code, e.g. 37"})
    city = fields.String(metadata={"description": "a city's adcode, e.g. 370200"})
    member = fields.String(metadata={"description": "the owning member's code"})
    domain = one_of(DOMAINS)
    mode = one_of(CIRCULATION_MODES)
    openness = one_of(OPENNESS)
    frequency = one_of(FREQUENCIES)
    sort = one_of(SORTS)
    per_page = Whole(validate=validate.Range(min=1, max=100),
                   metadata={"description": "items per page (default 20)"})

    def add_filter(self, name: str, description: str) -> None:
        """A filter another domain adds to the search (``extras.ExtraFilter``)."""
        self.declared_fields[name] = fields.String(metadata={"description": description})
        self._init_fields()


class ResourceQuery(SearchQuery):
    """GET /api/v1/resources: a search, or with ``status=archived`` the archived entries of your member."""
    status = fields.String(validate=validate.OneOf(["active", "archived"]), metadata={
        "description": "active (default): search the map; archived: your member's entries its harvest source no "
                       "longer lists (all members' for the secretariat), newest first, without facets"})


class ExportRequest(SearchQuery):
    """POST /api/v1/exports: a search's parameters (as on /api/v1/resources) and a format
    (``page`` and ``per_page`` are not read: the export holds every entry of the search)."""
    format = fields.String(required=True, validate=validate.OneOf(["csv", "xlsx", "ttl", "jsonld"]),
                           metadata={"description": "csv or xlsx: the search's entries you may see; ttl or "
                                                    "jsonld: the whole public catalogue as DCAT-AP."})


class FacetValue(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class ResourcePage(Page):
    items = fields.List(fields.Nested(ResourceOut), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValue)), required=True,
                         metadata={"description": "per facet (province, city, member, domain, mode, openness, "
                                                  "frequency, and the filters other domains add): its values"})


# ---- an access request's definition, and its answer's

AccessRequestFields = definition(AccessRequest, "AccessRequestFields")
# Stored on the request: ``reason`` in its ``decision_reason`` column.
AccessDecisionFields = definition(AccessRequest, "AccessDecisionFields", part="decision")
# What the owner grants with an approval: the terms of use (prefilled from the entry's conditions),
# the period, how the data is delivered, and whom to contact.
AccessGrantFields = definition(AccessRequest, "AccessGrantFields", part="grant")


class AccessStepFields(Schema):
    """A note with a step after the approval: the delivery (``delivery_note``) or the receipt
    (``receipt_note``); the service says which column."""
    note = Text(1000, multiline=True, label=_l("Note"))


# what clients send and receive (access requests; the OpenAPI document reads these)
AccessRequestCreate = input_schema(AccessRequestFields, "AccessRequestCreateBody", {}, creating=True)
# a decision's body: the grant's fields (read when approving) and the reason (required when declining)
AccessDecisionBody = input_schema(AccessGrantFields, "AccessDecisionBody", {
    **input_schema(AccessDecisionFields, "AccessDeclineBody", {})._declared_fields,
    "approve": StrictBoolean(required=True, metadata={"description": "true: approve (give the grant's fields); "
                                                                     "false: decline (give a reason)"}),
    "delivery_space_id": DbId(allow_none=True, metadata={
        "description": "With delivery_method data_space: the id of a data space in the register"}),
})
AccessStepBody = input_schema(AccessStepFields, "AccessStepBody", {})


class _ResourceRef(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class _Person(Schema):
    name = fields.String(attribute="person_label", required=True,
                         metadata={"description": "The person's name and organisation"})


class _Space(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    url = fields.String(required=True)


class AccessGrant(Schema):
    """What the owner granted with an approval."""
    terms = fields.String(required=True)
    granted_from = fields.Date(allow_none=True, required=True)
    granted_until = fields.Date(allow_none=True, required=True)
    delivery_method = fields.Nested(Coded, allow_none=True, required=True)
    delivery_space = fields.Nested(_Space, allow_none=True, required=True)
    delivery_detail = fields.String(required=True)
    contact = fields.String(required=True)


def _grant(req) -> dict | None:
    """The grant of an approved request (its parties only: the request is theirs), else None."""
    if not req.is_granted:
        return None
    spaces = extras.delivery_spaces()
    space = spaces.describe(req.delivery_space_id) if spaces and req.delivery_space_id else None
    return {"terms": req.terms, "granted_from": req.granted_from, "granted_until": req.granted_until,
            "delivery_method": {"code": req.delivery_method,
                                "label": DELIVERY_METHODS.label(req.delivery_method, _locale())}
            if req.delivery_method else None, "delivery_space": space,
            "delivery_detail": req.delivery_detail, "contact": req.contact}


AccessRequestOut = output_schema(AccessRequestFields, "AccessRequestOut", {
    "id": fields.Integer(required=True),
    "status": fields.Function(lambda r: r.state(), required=True, metadata={
        "type": "string", "enum": list(ACCESS_STATUSES),
        "description": "pending, approved (to be delivered), delivered (receipt to confirm), received, declined, "
                       "withdrawn, or expired (granted and past its period)"}),
    "status_label": fields.Function(lambda r: ACCESS_STATUSES.label(r.state(), _locale()), required=True,
                                    metadata={"type": "string"}),
    "decision_reason": fields.String(required=True),
    "decided_at": instant("decided_at", description="ISO 8601, UTC"),
    "decided_by": fields.Nested(_Person, allow_none=True, required=True),
    "created_at": instant("created_at", description="ISO 8601, UTC"),
    "grant": Computed(_grant, fields.Nested(AccessGrant, allow_none=True),
                      metadata={"description": "What the owner granted (its parties only; null until approved)"}),
    "delivered_at": instant("delivered_at", description="ISO 8601, UTC"),
    "delivery_note": fields.String(required=True),
    "received_at": instant("received_at", description="ISO 8601, UTC"),
    "receipt_note": fields.String(required=True),
    "resource": fields.Nested(_ResourceRef, required=True),
    "requester": fields.Nested(_Member, attribute="requester_member", required=True),
    "owner": fields.Nested(_Member, attribute="owner_member", required=True),
    "url": fields.Function(lambda r: url_for("catalog_access.detail", request_id=r.id), required=True,
                           metadata={"type": "string"}),
})


class AccessRequestList(Schema):
    items = fields.List(fields.Nested(AccessRequestOut), required=True)
    total = fields.Integer(required=True)

