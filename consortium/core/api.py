"""Helpers shared by the JSON blueprints under /api/v1."""
from flask import current_app, request
from flask_babel import gettext as _

from consortium.core.exceptions import DomainError
from consortium.extensions import db


def int_param(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
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
    page = int_param("page", 1)
    per_page = int_param("per_page", current_app.config["PER_PAGE"], maximum=200)
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {"items": [serialise(x) for x in result.items], "total": result.total,
            "page": page, "per_page": per_page}
