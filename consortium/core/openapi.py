"""The OpenAPI 3.1 description of /api/v1, generated (apispec + marshmallow) from
the application's own URL map: every rule under /api/v1 is described, so a route
a domain adds later appears without anyone editing this file. A view declares
its shapes with ``@api_doc(...)`` (marshmallow schemas for the query, the body
and the answer); a view that declares nothing is still listed, with its path
parameters and the error answers every API call can give.

Served at /api/v1/openapi.json; a browsable page (Swagger UI, shipped by the
flask-swagger-ui package and served from this host) at /api/docs/."""
import re
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, abort, current_app, render_template, send_from_directory
from marshmallow import Schema, fields

from .requests import DB_INT_MAX

API_PREFIX = "/api/v1"
ERROR_CODES = {400: "The input was refused (the field is named).", 401: "Sign in or send a bearer token.",
               403: "Not allowed for this user.", 404: "No such object, or not visible to this user.",
               409: "Changed or created by someone else meanwhile.", 429: "Too many requests; wait and retry."}
WRITE_ERROR_CODES = {413: "The body is too large."}
_RULE_ARG = re.compile(r"<(?:(?P<conv>[a-zA-Z_]+)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")

bp = Blueprint("openapi", __name__)


class ErrorDetail(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    field = fields.String()


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)


def api_doc(*, summary: str = "", query: type[Schema] | None = None, body: type[Schema] | None = None,
            response: type[Schema] | dict | None = None, status: int = 200, auth: bool = False,
            media: tuple[str, ...] = ("application/json",), errors: dict[int, str] | None = None):
    """Declare a view's shapes for the OpenAPI description (it changes nothing at run time:
    the view parses its input with the same schemas through ``core.api``). ``media``: the
    answer's media types when it is not JSON (a file); ``errors``: answers of its own
    ({status: when}) beside the common ones."""
    def mark(view):
        view.__api_doc__ = {"summary": summary or (view.__doc__ or "").strip().split("\n")[0],
                            "query": query, "body": body, "response": response, "status": status,
                            "auth": auth, "media": media, "errors": errors or {}}
        return view
    return mark


def _path_and_params(rule):
    params = []

    def replace(match):
        conv, name = match.group("conv") or "default", match.group("name")
        schema = ({"type": "integer", "minimum": 1, "maximum": DB_INT_MAX} if conv == "int"
                  else {"type": "string", "minLength": 1, "pattern": "^[^/]+$"})
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"
    return _RULE_ARG.sub(replace, rule.rule), params


def _schema_ref(spec, schema):
    if isinstance(schema, dict):
        return schema
    name = schema.__name__
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema)
    return {"$ref": f"#/components/schemas/{name}"}


def build_spec(app) -> dict:
    spec = APISpec(title="CDOU portal API", version="1", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "城市数据运营共同体门户 · CDOU portal JSON API. Anonymous callers see "
                                        "what the union publishes; send `Authorization: Bearer <token>` "
                                        "(a token from the account page) for more, and for writes."},
                   servers=[{"url": "/"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=Error)
    error = {"$ref": "#/components/schemas/Error"}
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX + "/") and rule.rule != API_PREFIX:
            continue
        view = app.view_functions[rule.endpoint]
        doc = getattr(view, "__api_doc__", {})
        path, params = _path_and_params(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = {"operationId": f"{rule.endpoint}.{method.lower()}",
                         "tags": [rule.endpoint.split(".")[0]],
                         "summary": doc.get("summary") or (view.__doc__ or "").strip().split("\n")[0]
                         or rule.endpoint}
            parameters = list(params)
            if doc.get("query") is not None:
                parameters.append({"in": "query", "schema": doc["query"]})
            if parameters:
                operation["parameters"] = parameters
            if doc.get("body") is not None:
                operation["requestBody"] = {"required": True, "content": {
                    "application/json": {"schema": _schema_ref(spec, doc["body"])}}}
            answer = doc.get("response")
            ok_schema = _schema_ref(spec, answer) if answer is not None else {"type": "object"}
            codes = dict(ERROR_CODES)
            if method != "GET":
                codes.update(WRITE_ERROR_CODES)
                operation["security"] = [{"bearer": []}]
            elif doc.get("auth"):
                operation["security"] = [{"bearer": []}, {}]
            codes.update(doc.get("errors", {}))
            responses = {str(doc.get("status", 200) if method != "GET" else 200): {
                "description": "OK", "content": {m: {"schema": ok_schema}
                                                 for m in doc.get("media", ("application/json",))}}}
            for code, text in codes.items():
                responses[str(code)] = {"description": text, "content": {"application/json": {"schema": error}}}
            operation["responses"] = responses
            paths.setdefault(path, {})[method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get(API_PREFIX + "/openapi.json")
@api_doc(summary="This description (OpenAPI 3.1).", response={"type": "object"})
def openapi_json():
    spec = current_app.extensions.get("cdou_openapi")
    if spec is None:  # built once per process: the URL map does not change after start-up
        spec = current_app.extensions["cdou_openapi"] = build_spec(current_app)
    return spec


def _swagger_dist() -> Path:
    import flask_swagger_ui
    return Path(flask_swagger_ui.__file__).resolve().parent / "dist"


@bp.get("/api/docs/")
def docs():
    """The browsable description (Swagger UI, every file served from this host)."""
    return render_template("openapi/docs.html")


@bp.get("/api/docs/<any('swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', "
        "'favicon-32x32.png', 'index.css'):name>")
def docs_asset(name):
    path = _swagger_dist() / name
    if not path.is_file():
        abort(404)
    return send_from_directory(_swagger_dist(), name, max_age=7 * 24 * 3600)
