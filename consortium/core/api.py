"""The JSON API's one way in and one way out: flask-smorest (on marshmallow, webargs and
apispec). Every endpoint of /api/v1 is a view of a ``Blueprint`` below and declares, once, what
it reads and what it answers::

    @bp.route("/negotiations/<int:dossier_id>/stances", methods=["POST"])
    @first(visible_dossier)                 # who may call, which object: before the input is judged
    @bp.arguments(StanceCreate)             # the JSON body (``location="query"``: the query string)
    @bp.response(201, StanceOut)            # the answer, dumped with this schema
    def add_stance(body, dossier): ...

The framework parses and validates the input with those schemas (a refusal is a 400 naming the
field, in the portal's error shape, ``consortium.errors``), dumps the answer, and writes the
OpenAPI description from the same declarations (``core.openapi`` serves it). Lists are
paginated with ``page``/``per_page`` (``PageQuery``, ``paginate``, ``Page``)."""
import inspect
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, ValidationError, fields, missing, validate
from marshmallow.experimental.context import Context
from webargs.flaskparser import FlaskParser

from consortium.core.clock import iso_utc
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .entity import Described
from .requests import DB_INT_MAX, MAX_PAGE
from .validation import parse_date

API_PREFIX = "/api/v1"
ERROR_CODES = {400: "The input was refused (the field is named).", 401: "Sign in or send a bearer token.",
               403: "Not allowed for this user.", 404: "No such object, or not visible to this user.",
               409: "Changed or created by someone else meanwhile.", 429: "Too many requests; wait and retry."}
WRITE_ERROR_CODES = {413: "The body is too large."}
MAX_PER_PAGE = 200


class ErrorDetail(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    field = fields.String(metadata={"description": "the parameter or body field refused"})


class Error(Schema):
    """Every refusal of the API (``consortium.errors.render_error``)."""
    error = fields.Nested(ErrorDetail, required=True)


# ---- reading: query strings, path ids and bodies

def first_error(messages, prefix=""):
    """The first (field, message) of a marshmallow error dict, with a dotted field path."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}" if not isinstance(key, int) else prefix
            if key == "_schema":
                name = prefix or "body"
            return first_error(value, name)
    if isinstance(messages, list) and messages:
        return first_error(messages[0], prefix)
    return prefix or "body", str(messages)


def _query_message(schema, name, message) -> str:
    """A refused query parameter in the portal's words (the same as its pages use)."""
    field = next((f for n, f in schema.fields.items() if (f.data_key or n) == name), None)
    if name not in request.args:
        return _("Parameter %(name)s is required.", name=name)
    raw = request.args.get(name, "")
    if isinstance(field, fields.Integer):
        if raw.strip().lstrip("+-").isascii() and raw.strip().lstrip("+-").isdigit():
            return _("Parameter %(name)s is out of range.", name=name)
        return _("Parameter %(name)s must be a whole number.", name=name)
    if isinstance(field, fields.Date):
        return _("Parameter %(name)s must be a date (YYYY-MM-DD).", name=name)
    if isinstance(field, QueryFlag):
        return _("Parameter %(name)s must be true or false.", name=name)
    if field is not None and any(isinstance(v, validate.OneOf) for v in field.validators):
        return _("Parameter %(name)s has an unknown value: %(value)s", name=name, value=raw)
    return _("Invalid value for %(name)s: %(message)s", name=name, message=message)


class Parser(FlaskParser):
    """webargs' Flask parser, answering the portal's way: a refusal is a ``DomainError`` (400,
    the field named); a body is read by the app's strict JSON provider (``core.requests``) and must
    be a JSON object."""

    DEFAULT_VALIDATION_STATUS = 400
    __location_map__ = {**FlaskParser.__location_map__, "optional_json": "load_optional_json"}

    def load_json(self, req, schema):
        data = req.get_json(silent=True)
        if not isinstance(data, dict):
            raise DomainError(_("Send a JSON object."), field="body")
        return data

    def load_optional_json(self, req, schema):
        """A body that may be left out (an act whose fields are all optional)."""
        if not req.get_data(cache=True).strip():
            return {}
        return self.load_json(req, schema)

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        location, messages = next(iter(error.messages.items()))
        field, message = first_error(messages)
        if location in ("query", "querystring"):
            raise DomainError(_query_message(schema, field, message), field=field)
        defined = getattr(schema, "fields", {}).get(field)
        if isinstance(defined, Described) and message not in map(str, defined.error_messages.values()):
            raise DomainError(message, field=field)  # a definition's rule, in its words (as a form shows it)
        raise DomainError(_("Invalid value for %(name)s: %(message)s", name=field, message=message), field=field)


def first(check):
    """Run ``check(**path arguments)`` before the query or body is read: it refuses a caller who
    may not call (401, 403) or may not see the object (404) before any 400 about the input,
    and returns the view's keyword arguments (the objects loaded, in place of their ids)."""
    params = inspect.signature(check).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        def call(kwargs):
            return check(**kwargs)
    else:
        def call(kwargs):  # the check takes the ids it names; the view gets the others as they are
            return {**{k: v for k, v in kwargs.items() if k not in params},
                    **check(**{k: v for k, v in kwargs.items() if k in params})}

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            return view(*args, **call(kwargs))
        return checked
    return decorate


def answer_context() -> dict:
    """What the answer's schema reads while it dumps (e.g. counts computed once for a whole
    page): the view fills it, the schema reads ``answer_context().get(...)``."""
    return Context.get({})


class ListWhen(fields.List):
    """A list the answer holds only when the view says the caller may see it
    (``answer_context()[flag]``); otherwise the key is left out."""

    def __init__(self, inner, flag: str, **kwargs):
        super().__init__(inner, **kwargs)
        self.flag = flag

    def serialize(self, attr, obj, accessor=None, **kwargs):
        if not answer_context().get(self.flag):
            return missing
        return super().serialize(attr, obj, accessor, **kwargs)


class Computed(fields.Field):
    """A value computed from the object (``fn(obj)``: a service's answer, something the view
    put in ``answer_context``), dumped and described as ``shape`` (e.g. a list of a schema)."""

    def __init__(self, fn, shape, **kwargs):
        super().__init__(required=True, **kwargs)
        self.fn, self.shape = fn, shape

    def _bind_to_schema(self, field_name, parent):
        super()._bind_to_schema(field_name, parent)
        self.shape._bind_to_schema(field_name, parent)

    def serialize(self, attr, obj, accessor=None, **kwargs):
        return self.shape._serialize(self.fn(obj), attr, obj, **kwargs)


def shaped_properties(self, field, **kwargs) -> dict:
    """apispec: a field that stands for another (``Computed``, ``entity.Written``) is described as it."""
    shape = getattr(field, "shape", None)
    return self.field2property(shape) if isinstance(shape, fields.Field) else {}


class Whole(fields.Integer):
    """A whole number of a query string, in ASCII digits (``int()`` alone reads ``١`` or ``１`` as 1)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip().lstrip("+-").isascii():
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class QueryFlag(fields.Boolean):
    """A yes-or-no query parameter: ``true`` or ``1``; ``false``, ``0`` or empty (not given)."""

    def __init__(self, **kwargs):
        super().__init__(truthy={"true", "1"}, falsy={"false", "0", ""}, load_default=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """true or false only: not 1, "y", "yes" or "true" (a body's yes-or-no)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class QueryDay(fields.Date):
    """A ``YYYY-MM-DD`` day of a query string or a body (the portal's one date rule); empty is not given."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(value, attr or "date")
        except DomainError as e:
            raise ValidationError(e.message) from None


class Blueprint(SmorestBlueprint):
    """flask-smorest's blueprint with the portal's parser, the error answers every operation
    can give in its description, and an answer context per request (``answer_context``)."""

    ARGUMENTS_PARSER = Parser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "optional_json": "application/json"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_error_doc)

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        if location == "json" and not required:
            location = "optional_json"
        return super().arguments(schema, location=location, required=required, **kwargs)

    def response(self, status_code, schema=None, **kwargs):
        dump = super().response(status_code, schema, **kwargs)

        def decorate(view):
            dumped = dump(view)

            @wraps(dumped)
            def in_context(*args, **kw):
                with Context({}):
                    return dumped(*args, **kw)
            return in_context
        return decorate

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        for endpoint, info in self._docs.items():  # operationId: "<blueprint>.<view>.<method>"
            for method, operation in info.items():
                if method != "parameters":
                    operation.setdefault("manual_doc", {}).setdefault("operationId", f"{name}.{endpoint}.{method}")
        super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)

    @staticmethod
    def _prepare_error_doc(doc, doc_info, *, method, spec, **kwargs):
        codes = dict(ERROR_CODES) if method == "get" else {**ERROR_CODES, **WRITE_ERROR_CODES}
        responses = doc.setdefault("responses", {})
        error = spec.components.get_ref("schema", "Error")  # flask-smorest's ERROR_SCHEMA: ``Error`` below
        for code, text in codes.items():
            responses.setdefault(str(code), {"description": text, "content": {"application/json": {"schema": error}}})
        if method != "get":
            doc.setdefault("security", [{"bearer": []}])
        else:
            doc.setdefault("security", [{"bearer": []}, {}])
        return doc


# ---- pages

class PageQuery(Schema):
    """``page`` and ``per_page`` of a paginated list."""
    page = Whole(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "the page, from 1"})
    per_page = Whole(validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": "items per page (default 20)"})


class Page(Schema):
    """A page of a list: a subclass declares ``items``."""
    total = fields.Integer(required=True, metadata={"description": "items in the whole list"})
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


def paginate(stmt, query: dict) -> dict:
    """One page of a select (``query``: ``PageQuery``'s values) for a ``Page`` answer."""
    page, per_page = query["page"], query.get("per_page") or current_app.config["PER_PAGE"]
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {"items": result.items, "total": result.total, "page": page, "per_page": per_page}


def one_of(values, **kw):
    """A query parameter taking one of ``values`` (the empty string counts as not given)."""
    return fields.String(validate=validate.OneOf(list(values)), **kw)


class DbId(fields.Integer):
    """A row's id in a body: a JSON integer from 1 to the database's largest (never a string, a
    float or a 20-digit number, which the database would refuse with a 500)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(min=1, max=DB_INT_MAX), **kwargs)


def id_list(**kw):
    return fields.List(DbId(), **kw)


def instant(attr: str, **metadata) -> fields.Function:
    """A stored instant (``attr`` of the object) in an answer: ISO 8601 in UTC with a ``Z``, or null."""
    return fields.Function(lambda obj: iso_utc(getattr(obj, attr)), required=True,
                           metadata={"type": ["string", "null"], "description": "ISO 8601, UTC", **metadata})


class PortalApi(Api):
    """flask-smorest's ``Api`` without its own error pages (``consortium.errors`` answers every
    error in one shape) and without its doc pages (``core.openapi`` serves the description and
    a Swagger UI from this host)."""

    ERROR_SCHEMA = Error
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _register_doc_blueprint(self):
        pass


def init_app(app):
    """The app's API: every domain registers its blueprint with ``register(app, bp)``."""
    app.config.setdefault("API_TITLE", "CDOU portal API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "城市数据运营共同体门户 · CDOU portal JSON API. Anonymous callers see what the union "
                                "publishes; send `Authorization: Bearer <token>` (a token from the account page) "
                                "for more, and for writes."},
        "servers": [{"url": "/"}]})
    api = PortalApi(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.ma_plugin.converter.add_attribute_function(shaped_properties)
    app.extensions["cdou_api"] = api
    return api


def register(app, bp, prepare=None) -> None:
    """Register an API blueprint, with its description, once every domain is initialised
    (``register_all``): ``prepare(app)`` runs first (e.g. to add the search filters domains
    above registered to the blueprint's query schema)."""
    app.extensions.setdefault("cdou_api_blueprints", []).append((bp, prepare))


def register_all(app) -> None:
    for bp, prepare in app.extensions.pop("cdou_api_blueprints", []):
        if prepare is not None:
            prepare(app)
        app.extensions["cdou_api"].register_blueprint(bp)
