"""A dashboard's and a panel's definitions, made from their models' columns (see
``consortium.core.entity``): the services clean with them and the compose forms are generated
from them. Adding a field: the model, a migration and the translations."""
from flask import url_for
from marshmallow import Schema, fields, validate

from consortium.core.clock import iso_utc
from consortium.core.entity import definition, input_schema
from consortium.core.requests import DB_INT_MAX
from consortium.members.naming import person_label

from .constants import AUDIENCES
from .models import Dashboard, DashboardPanel

DashboardFields = definition(Dashboard, "DashboardFields")
PanelFields = definition(DashboardPanel, "PanelFields")  # beside its filters, which depend on the panel's kind


# ---- the API's answers (/api/v1/dashboards): from ``{"dashboard", "latest"}`` and publications

def _version_url(publication):
    return url_for("dashboards_api.version", slug=publication.dashboard.slug, version=publication.version)


class VersionSummaryOut(Schema):
    version = fields.Integer(required=True)
    published_at = fields.Function(lambda p: iso_utc(p.published_at), required=True,
                                   metadata={"type": "string", "format": "date-time"})
    published_by = fields.Function(lambda p: person_label(p.published_by_label), required=True,
                                   metadata={"type": "string", "description": "the person as stored and the organisation in the reader's language"})
    audience = fields.String(required=True, metadata={"enum": list(AUDIENCES)})
    hidden = fields.Boolean(attribute="is_hidden", required=True)
    url = fields.Function(_version_url, required=True, metadata={"type": "string"})


class DashboardOut(Schema):
    slug = fields.String(attribute="dashboard.slug", required=True)
    title = fields.String(attribute="latest.title", required=True)
    title_en = fields.String(attribute="latest.title_en", required=True)
    audience = fields.String(attribute="latest.audience", required=True, metadata={"enum": list(AUDIENCES)})
    latest_version = fields.Integer(attribute="latest.version", required=True)
    page = fields.Function(lambda d: url_for("dashboards.latest", slug=d["dashboard"].slug), required=True,
                           metadata={"type": "string", "description": "the dashboard's page"})
    url = fields.Function(lambda d: url_for("dashboards_api.detail", slug=d["dashboard"].slug), required=True,
                          metadata={"type": "string"})


class DashboardList(Schema):
    items = fields.List(fields.Nested(DashboardOut), required=True)
    total = fields.Integer(required=True)


class DashboardDetailOut(DashboardOut):
    intro = fields.String(attribute="latest.intro", required=True)
    intro_en = fields.String(attribute="latest.intro_en", required=True)
    versions = fields.List(fields.Nested(VersionSummaryOut), required=True,
                           metadata={"description": "the versions you may read, newest first"})


class PanelOut(Schema):
    kind = fields.String(required=True, metadata={"description": "the panel's kind (dashboards.kinds)"})
    caption = fields.String(required=True)
    caption_en = fields.String(required=True)
    filters = fields.Dict(keys=fields.String(), required=True, metadata={"description": "the panel's filters"})
    data = fields.Dict(required=True, metadata={"description": "the figures frozen when the version was "
                                                               "published, as the panel's kind writes them"})


class PublicationOut(VersionSummaryOut):
    slug = fields.String(attribute="dashboard.slug", required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    intro = fields.String(required=True)
    intro_en = fields.String(required=True)
    key_figures = fields.Dict(keys=fields.String(), values=fields.Raw(metadata={"type": "number"}), required=True)
    panels = fields.List(fields.Nested(PanelOut), required=True)


# ---- the secretariat's writes (/api/v1/dashboards, POST and PATCH): a dashboard and its panels
# as they are being composed, with the version each was read at (optimistic locking: a stale one
# answers 409 and writes nothing)

def _version_in(description):
    return fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=DB_INT_MAX),
                          metadata={"description": description})


class PanelFilters(Schema):
    """What a panel counts: a scenario group, a domain, a province, a span of dates. Each kind
    honours some of them (the table in docs/dashboards.md); a
    filter the kind does not honour, or a value that does not exist, is refused (400)."""
    province = fields.String(validate=validate.Length(max=12), metadata={"description": "a province's code, e.g. 37"})
    group = fields.String(validate=validate.Length(max=40), metadata={"description": "a scenario group's code"})
    domain = fields.String(validate=validate.Length(max=30), metadata={"description": "a domain's code, e.g. transport"})
    date_from = fields.String(validate=validate.Length(max=10), metadata={"format": "date", "description": "YYYY-MM-DD"})
    date_to = fields.String(validate=validate.Length(max=10), metadata={"format": "date", "description": "YYYY-MM-DD"})


DashboardCreate = input_schema(DashboardFields, "DashboardCreate", {}, creating=True)
DashboardUpdate = input_schema(DashboardFields, "DashboardUpdate", {
    "version": _version_in("the version you read (required): a stale one answers 409 and nothing is written")})
PanelCreate = input_schema(PanelFields, "PanelCreate", {
    "kind": fields.String(required=True, validate=validate.Length(min=1, max=40),
                          metadata={"description": "the panel's kind (the compose page's catalogue)"}),
    "filters": fields.Nested(PanelFilters)})
PanelUpdate = input_schema(PanelFields, "PanelUpdate", {
    "filters": fields.Nested(PanelFilters, metadata={"description": "replaces the panel's filters; "
                                                                    "left out: they stay"}),
    "version": _version_in("the panel's version you read (required): a stale one answers 409 and nothing "
                           "is written")})


class DraftPanelOut(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    caption = fields.String(required=True)
    caption_en = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "send it back to change the panel"})


class DraftOut(Schema):
    """A dashboard as the secretariat composes it (not what readers see: that is a version)."""
    slug = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    intro = fields.String(required=True)
    intro_en = fields.String(required=True)
    audience = fields.String(required=True, metadata={"enum": list(AUDIENCES)})
    featured = fields.Boolean(attribute="is_featured", required=True,
                              metadata={"description": "the dashboard the home page features"})
    version = fields.Integer(required=True, metadata={"description": "send it back to change the dashboard"})
    panels = fields.List(fields.Nested(DraftPanelOut), required=True)
