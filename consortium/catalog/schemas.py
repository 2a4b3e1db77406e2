"""The resource map entry's one definition (``ResourceFields``): every field's type, limit,
vocabulary, label, form section and spreadsheet column. Services validate with it; the entry
form, the JSON API (what a client sends and gets, and its OpenAPI description), the spreadsheet
import, its template and the export are built from it (see ``consortium.core.entity``).
Adding a field: this file, the model, a migration and the translations."""
import csv
import io
import re

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from consortium.core.api import Computed, DbId, Page, PageQuery, StrictBoolean, Whole, instant, one_of
from consortium.core.entity import (LIST_SEPARATOR, Choice, Choices, Day, Described, Email, Flag, Link, Number, Text,
                                    WholeNumber, cell_text, input_schema, output_schema)
from consortium.core.entity import Coded as Coded
from consortium.core.exceptions import DomainError
from consortium.core.requests import check_code

from . import extras
from .access.models import DELIVERY_METHODS, STATUSES as ACCESS_STATUSES
from .constants import CIRCULATION_MODES, DOMAINS, FIELD_TYPES, FREQUENCIES, LICENCES, OPENNESS
from .search.params import SORTS

SAMPLE_MAX_ROWS = 20
SCHEMA_MAX_FIELDS = 300

# the entry form's sections, in order
WHAT, DATA, USE, CONTACT, SAMPLE = "what", "data", "use", "contact", "sample"
SECTIONS = {WHAT: _l("What it is"), DATA: _l("The data"), USE: _l("Openness and use"), CONTACT: _l("Contact"),
            SAMPLE: _l("Sample rows")}


def _code(value, name):
    check_code(value)
    return value


def _listed(value, name):
    """A list typed with any of , ， 、 ; ； between its items: stored once each, separated by the
    one list separator (``LIST_SEPARATOR``), as exports write it and the API splits it."""
    return LIST_SEPARATOR.join(dict.fromkeys(k.strip() for k in re.split(r"[,，、;；]", value) if k.strip()))


def _sample(value, name):
    """A small CSV preview: a header and at most SAMPLE_MAX_ROWS rows."""
    rows = [r for r in csv.reader(io.StringIO(value)) if any(c.strip() for c in r)]
    if len(rows) > SAMPLE_MAX_ROWS + 1:
        raise DomainError(_("A sample has at most %(n)d rows below its header.", n=SAMPLE_MAX_ROWS), field=name)
    return value


# The field list's header line, as the import template's notes give it: a first line that is
# exactly one of these is a header; any other line is a field (a field may be called ``name``).
COLUMN_LIST_HEADERS = (("字段名", "类型", "说明"), ("name", "type", "description"))
# first words that an earlier reader took for a header; now they are fields, and the preview says so
LOOKS_LIKE_HEADER = {"字段名", "字段名称", "字段", "name", "field"}


def parse_column_list(text: str) -> list[dict]:
    """Fields from a field list written in a cell or pasted from a spreadsheet: one field per
    line, ``name,type,description`` read as CSV (RFC 4180: a cell with a comma, quote or line
    break is quoted, a quote doubled) or, when the first line has a tab outside quotes, as tab
    separated cells (what a spreadsheet's copy gives). Every line is a field, except blank lines
    and a first line that is exactly the template's header (``COLUMN_LIST_HEADERS``). A line
    with more than three cells is refused (its extra cells would be lost)."""
    text = (text or "").strip("\r\n")
    if not text.strip():
        return []
    first = text.splitlines()[0]
    outside = re.sub(r'"[^"]*"', "", first)
    delimiter = "\t" if "\t" in outside else ","
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise DomainError(_("The field list cannot be read: a quote is not closed, or text follows a closing "
                            "quote. Write one field a line as name,type,description; quote a cell that holds a "
                            "comma."), field="schema_fields") from None
    rows = []
    for n, cells in enumerate(lines, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if not rows and tuple(cells) in COLUMN_LIST_HEADERS:
            continue
        if len(cells) > 3:
            raise DomainError(_("Line %(n)d of the field list has %(count)d cells; give name, type and description "
                                "(quote a description that holds a comma).", n=n, count=len(cells)),
                              field="schema_fields")
        cells += ["", ""]
        rows.append({"name": cells[0], "type": cells[1], "description": cells[2], "_line": True})
    return rows


def column_list_note(text: str) -> str | None:
    """What reading a field list did with its first line, for the import preview: taken as the
    header (the template's own), or kept as a field although it looks like a header word."""
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    cells = tuple(c.strip() for c in next(csv.reader([first], delimiter="\t" if "\t" in first else ","), []))
    if not cells:
        return None
    if cells in COLUMN_LIST_HEADERS:
        return _("The first line of the field list (%(line)s) is the template's header: it was not read as a field.",
                 line=",".join(cells))
    if cells[0].lower() in LOOKS_LIKE_HEADER:
        return _("The first line of the field list (%(line)s) was read as a field named %(name)s: only a line that is "
                 "exactly %(header)s is a header.", line=",".join(cells), name=cells[0],
                 header=" / ".join(",".join(h) for h in COLUMN_LIST_HEADERS))
    return None


def column_list_text(fields_: list[dict]) -> str:
    """A field list as a cell holds it: one field a line, ``name,type,description`` as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for f in fields_ or []:
        writer.writerow([f["name"], f["type"], f["description"]])
    return out.getvalue().rstrip("\n")


TYPE_ALIASES = {"字符串": "string", "文本": "string", "字符": "string", "varchar": "string", "text": "string",
                "str": "string", "整数": "integer", "int": "integer", "bigint": "integer", "数值": "decimal",
                "小数": "decimal", "number": "decimal", "float": "decimal", "double": "decimal", "日期": "date",
                "时间": "datetime", "日期时间": "datetime", "timestamp": "datetime", "布尔": "boolean",
                "bool": "boolean", "是否": "boolean", "空间": "geometry", "坐标": "geometry", "其他": "other"}


def clean_schema_fields(value, name="schema_fields") -> list[dict]:
    """The field list: [{"name", "type", "description"}], names unique, type from FIELD_TYPES
    (Chinese spreadsheet words such as 字符串/整数/日期 are understood), empty rows dropped."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = parse_column_list(value)
    if not isinstance(value, list):
        raise DomainError(_("Send the fields as a list."), field=name)
    if len(value) > SCHEMA_MAX_FIELDS:
        raise DomainError(_("At most %(n)d fields.", n=SCHEMA_MAX_FIELDS), field=name)
    clean, seen = [], set()
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise DomainError(_("Field %(n)d is not a name/type/description record.", n=n), field=name)
        field_name = str(item.get("name") or "").strip()
        kind = str(item.get("type") or "").strip()
        description = str(item.get("description") or "").strip()
        if not (field_name or description) and not item.get("_line"):
            continue  # a blank row of the form (its type select always posts a value); a written line is kept
        if not field_name:
            raise DomainError(_("Field %(n)d has no name.", n=n), field=name)
        if len(field_name) > 100 or len(description) > 500:
            raise DomainError(_("Field %(name)s: name at most 100, description at most 500 characters.",
                                name=field_name[:100]), field=name)
        kind = TYPE_ALIASES.get(kind.lower(), kind.lower()) if kind else "string"
        if kind not in FIELD_TYPES:
            raise DomainError(_("Field %(name)s has an unknown type: %(type)s", name=field_name, type=kind),
                              field=name)
        if field_name in seen:
            raise DomainError(_("Field %(name)s is listed twice.", name=field_name), field=name)
        seen.add(field_name)
        clean.append({"name": field_name, "type": kind, "description": description})
    return clean


class ColumnList(fields.List, Described):
    """An entry's field list (字段清单): name, type and description of each column of the data.
    In a spreadsheet cell: one field per line, ``name,type,description`` as CSV (``parse_column_list``)."""

    def __init__(self, *, label, column=None, **kw):
        super().__init__(fields.Dict(keys=fields.String(), values=fields.String()),
                         validate=validate.Length(max=SCHEMA_MAX_FIELDS), **kw)
        self._describe(label, column, None, None, 12, False)

    def clean(self, name, value):
        return clean_schema_fields(value, name)

    def from_cell(self, value):
        try:
            return clean_schema_fields(cell_text(value))
        except DomainError as e:
            raise ValueError(e.message) from None

    def to_cell(self, value, locale):
        return column_list_text(value)

    def to_json(self, value, locale):
        return list(value or [])

    def out_field(self):
        return fields.List(fields.Dict(), required=True)


class ResourceFields(Schema):
    """A resource map entry (数据资源目录条目), field by field, in the order of the form and
    of the spreadsheet columns."""

    code = Text(60, required=True, label=_l("Resource code"), column=("资源编码", "Resource code"), section=WHAT,
                width=4, normalise=_code,
                help=_l("Your own code; unique within your organisation and used for re-imports."),
                metadata={"example": "QD-API-001"})
    title = Text(200, required=True, label=_l("Resource name"), column=("资源名称", "Title"), section=WHAT, width=8,
                 metadata={"example": "公交线路与站点数据"})
    description = Text(5000, label=_l("Description of the resource"), column=("资源描述", "Description"),
                       section=WHAT, width=12, multiline=True)
    keywords = Text(500, label=_l("Keywords"), column=("关键词", "Keywords"), section=WHAT, width=12,
                    normalise=_listed, as_list=True, help=_l("Separated by commas."))
    domain = Choice(DOMAINS, required=True, label=_l("Domain"), column=("领域", "Domain"), section=WHAT,
                    unknown=_l("Unknown domain: %(value)s"), metadata={"example": "transport"})
    department = Text(120, label=_l("Data-providing department"), column=("数源单位", "Providing department"),
                      section=WHAT)
    contact_name = Text(100, label=_l("Contact person"), column=("联系人", "Contact name"), section=CONTACT, width=4)
    contact_email = Email(200, label=_l("Contact e-mail"), column=("联系邮箱", "Contact e-mail"), section=CONTACT,
                          width=4)
    frequency = Choice(FREQUENCIES, required=True, label=_l("Update frequency"), column=("更新频率", "Update frequency"),
                       section=DATA, width=4, unknown=_l("Unknown update frequency: %(value)s"),
                       metadata={"example": "daily"})
    record_count = WholeNumber(label=_l("Records"), column=("数据量（条）", "Records"), section=DATA)
    size_mb = Number(label=_l("Size (MB)"), column=("数据大小（MB）", "Size (MB)"), section=DATA)
    temporal_start = Day(label=_l("Time coverage from"), column=("时间范围起", "Time coverage from"), section=DATA)
    temporal_end = Day(label=_l("Time coverage to"), column=("时间范围止", "Time coverage to"), section=DATA)
    spatial_coverage = Text(200, label=_l("Spatial coverage"), column=("空间范围", "Spatial coverage"), section=DATA,
                            width=4)
    openness = Choice(OPENNESS, required=True, label=_l("Openness"), column=("开放属性", "Openness"), section=USE,
                      unknown=_l("Unknown openness: %(value)s"), metadata={"example": "open"})
    circulation_modes = Choices(CIRCULATION_MODES, label=_l("Circulation modes in the trusted data space"),
                                column=("流通模式", "Circulation modes"), section=USE,
                                unknown=_l("Unknown circulation mode: %(value)s"))
    registration_no = Text(80, label=_l("Data-asset registration certificate no."),
                           column=("数据资产登记证书编号", "Registration certificate"), section=DATA)
    formats = Text(200, label=_l("Formats"), column=("数据格式", "Formats"), section=DATA, as_list=True,
                   normalise=_listed, help=_l("e.g. CSV, XLSX, JSON"))
    has_api = Flag(label=_l("Available through an API"), column=("提供接口", "API available"), section=DATA)
    data_updated_on = Day(label=_l("Data last updated on"), column=("数据更新日期", "Data last updated"), section=DATA)
    is_public = Flag(label=_l("Public: visible to anonymous visitors and in the open catalogue"),
                     column=("是否公开", "Public"), section=USE)
    contact_phone = Text(40, label=_l("Contact phone"), column=("联系电话", "Contact phone"), section=CONTACT, width=4)
    licence = Choice(LICENCES, label=_l("Licence / usage conditions"), column=("使用许可", "Licence"), section=USE,
                     blank=_l("Not stated"), unknown=_l("Unknown licence: %(value)s"))
    usage_conditions = Text(4000, label=_l("Usage conditions (text)"), column=("使用条件", "Usage conditions"),
                            section=USE, width=12, multiline=True,
                            help=_l("Required for custom terms; otherwise optional notes."))
    schema_fields = ColumnList(label=_l("Fields"), column=("字段清单", "Fields"))
    sample_csv = Text(4000, label=_l("Sample rows (CSV)"), column=("样例数据", "Sample rows"), multiline=True,
                      normalise=_sample, section=SAMPLE, width=12,
                      help=_l("Optional: a header line and a few illustrative rows."))
    download_url = Link(label=_l("Download link"), column=("下载地址", "Download URL"), section=DATA, width=12,
                        help=_l("Optional: where the data file itself can be downloaded (http:// or https://)."),
                        metadata={"example": "https://data.example.cn/files/bus-stops.csv"})


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

class AccessRequestFields(Schema):
    purpose = Text(2000, required=True, multiline=True, label=_l("Purpose of use"),
                   help=_l("What the data will be used for, by whom, and how it will be protected."))
    scenario = Text(200, label=_l("Application scenario"), help=_l("e.g. the seed scenario this data serves."))
    period_start = Day(label=_l("Use from"))
    period_end = Day(label=_l("Use until"))


class AccessDecisionFields(Schema):
    """Stored on the request: ``reason`` in its ``decision_reason`` column."""
    reason = Text(2000, multiline=True, attribute="decision_reason", label=_l("Reason"),
                  help=_l("Required when declining; shown to the requesting member."))


class AccessGrantFields(Schema):
    """What the owner grants with an approval: the terms of use (prefilled from the entry's
    conditions), the period, how the data is delivered, and whom to contact."""
    terms = Text(4000, required=True, multiline=True, label=_l("Terms of use"),
                 help=_l("Prefilled from the entry's licence and usage conditions; adjust them for this request."))
    granted_from = Day(label=_l("Access from"))
    granted_until = Day(required=True, label=_l("Access until"),
                        help=_l("The requester is reminded before this day; the request shows as expired after it."))
    delivery_method = Choice(DELIVERY_METHODS, required=True, label=_l("Delivery"), plain=True,
                             blank=_l("Choose how the data is delivered"),
                             unknown=_l("Unknown delivery method: %(value)s"))
    delivery_detail = Text(1000, multiline=True, label=_l("Delivery details"),
                           help=_l("The API's address and how to get a key, where the files are exchanged, or how "
                                   "to reach the data in the data space."))
    contact = Text(300, required=True, label=_l("Contact for the requester"),
                   help=_l("A person of your organisation: name, telephone, e-mail."))


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

