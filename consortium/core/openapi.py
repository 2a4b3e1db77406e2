"""The OpenAPI 3.1 description of /api/v1, written by flask-smorest from what every API
view declares (``core.api``: its path ids, query arguments, body and answer), served at
/api/v1/openapi.json; a browsable page (Swagger UI, shipped by the flask-swagger-ui package
and served from this host) at /api/docs/."""
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint as FlaskBlueprint
from flask import abort, current_app, render_template, send_from_directory
from marshmallow import Schema, fields

from .api import API_PREFIX, Blueprint

bp = FlaskBlueprint("openapi", __name__)
spec_bp = Blueprint("openapi_spec", __name__, url_prefix=API_PREFIX)


class Description(Schema):
    """An OpenAPI 3.1 document."""
    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    servers = fields.List(fields.Dict())
    paths = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    components = fields.Dict(required=True)
    tags = fields.List(fields.Dict())


@spec_bp.route("/openapi.json")
@spec_bp.response(200, Description)
def openapi_json():
    """This description (OpenAPI 3.1)."""
    spec = current_app.extensions.get("cdou_openapi")
    if spec is None:  # built once per process: the routes do not change after start-up
        spec = current_app.extensions["cdou_openapi"] = current_app.extensions["cdou_api"].spec.to_dict()
    return spec


def _swagger_dist() -> Path:
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
