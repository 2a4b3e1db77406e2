"""The workspace as JSON: the same sections, for a client or a mailer."""
from datetime import date, datetime

from flask import Blueprint, abort, current_app, jsonify
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.clock import iso_utc
from consortium.core import registry

bp = Blueprint("workspace_api", __name__, url_prefix="/api/v1")


def _when(value):
    if isinstance(value, datetime):
        return iso_utc(value)
    return value.isoformat() if isinstance(value, date) else None


@bp.get("/me/workspace")
def workspace():
    if not is_signed_in(current_user):
        abort(401)
    out = []
    for section, items, total in registry.workspace_sections(current_app, current_user):
        out.append({"key": section.key, "title": str(section.title), "waiting": section.waiting, "total": total,
                    "items": [{"text": i.text, "url": i.url, "detail": i.detail, "when": _when(i.when),
                               "flag": i.flag, "badge": i.badge, "action": i.action, "due": _when(i.due)}
                              for i in items]})
    return jsonify({"sections": out})
