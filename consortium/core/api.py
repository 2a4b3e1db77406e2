"""Helpers shared by the JSON blueprints under /api/v1."""
from flask import current_app, request
from flask_babel import gettext as _
from marshmallow import RAISE, ValidationError

from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .requests import DB_INT_MAX
from .validation import parse_date


def _first_error(messages, prefix=""):
    """The first (field, message) of a marshmallow error dict, with a dotted field path."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}" if not isinstance(key, int) else prefix
            if key == "_schema":
                name = prefix or "body"
            return _first_error(value, name)
    if isinstance(messages, list) and messages:
        return _first_error(messages[0], prefix)
    return prefix or "body", str(messages)


def json_object() -> dict:
    """The JSON body, which must be an object (else a 400 naming ``body``)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Send a JSON object."), field="body")
    return data


def parse_body(schema_cls, partial: bool = False, data: dict | None = None) -> dict:
    """The JSON body, checked against a marshmallow schema: the wrong type (a list for a
    string, ``null``, ``1.5`` for a whole number), an unknown field or a value out of range
    is a 400 naming the field; nothing is coerced silently."""
    data = json_object() if data is None else data
    try:
        return schema_cls(unknown=RAISE, partial=partial).load(data)
    except ValidationError as e:
        field, message = _first_error(e.messages)
        raise DomainError(_("Invalid value for %(name)s: %(message)s", name=field, message=message),
                          field=field) from None



def int_param(name: str, default: int, minimum: int = 1, maximum: int | None = DB_INT_MAX) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(_("Parameter %(name)s must be a whole number.", name=name), field=name) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
    return value


def choice_param(name: str, allowed) -> str | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if raw not in allowed:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name=name, value=raw),
                          field=name)
    return raw


def paginated(stmt, serialise) -> dict:
    page = int_param("page", 1, maximum=10**6)
    per_page = int_param("per_page", current_app.config["PER_PAGE"], maximum=200)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {"items": [serialise(x) for x in result.items], "total": result.total,
            "page": page, "per_page": per_page}


def date_param(name: str, required: bool = False):
    """A ``YYYY-MM-DD`` query parameter (None when absent): a 400 naming it otherwise."""
    raw = request.args.get(name)
    if raw is not None and raw.strip():
        try:
            return parse_date(raw, name)
        except DomainError:
            raise DomainError(_("Parameter %(name)s must be a date (YYYY-MM-DD).", name=name), field=name) from None
    return parse_date(raw, name, required=required)
