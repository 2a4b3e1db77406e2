"""/api/v1/notifications: the signed-in user's notifications (their member's), paged and
filtered, and marking them read — the same rules as the page (visibility asked when read)."""
from flask import Blueprint, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import int_param, parse_body
from consortium.core.clock import iso_utc
from consortium.core.exceptions import DomainError
from consortium.core.openapi import api_doc
from consortium.extensions import db

from . import registry, services
from .schemas import MarkReadBody, MarkReadOut, NotificationOut, NotificationPage, NotificationQuery

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1")


def notification_json(n) -> dict:
    kind = registry.get_kind(n.kind)
    return {"id": n.id, "kind": {"code": n.kind, "label": str(kind.label) if kind else n.kind},
            "message": registry.message_of(n), "text": n.text, "url": registry.url_of(n),
            "target": {"type": n.target_type, "id": n.target_id}, "needs_action": bool(kind and kind.action),
            "action_section": kind.action if kind else None, "created_by": n.created_by_label,
            "created_at": iso_utc(n.created_at), "read_at": iso_utc(n.read_at)}


def _member_user():
    if not is_signed_in(current_user):
        abort(401)
    if current_user.member_id is None:
        abort(404)  # notifications go to member organisations


def _flag(name) -> bool:
    raw = request.args.get(name)
    if raw in (None, "", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise DomainError(_("Parameter %(name)s must be true or false.", name=name), field=name)


@bp.get("/notifications")
@api_doc(summary="Your organisation's notifications you may see, newest first (paged; ``kind``, "
                 "``needs_action``, ``unread``).", query=NotificationQuery, response=NotificationPage, auth=True)
def index():
    _member_user()
    kind = request.args.get("kind") or None
    if kind is not None and registry.get_kind(kind) is None:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="kind", value=kind),
                          field="kind")
    page = int_param("page", 1, maximum=10**6)
    per_page = int_param("per_page", current_app.config["PER_PAGE"], maximum=200)
    items, total = services.page_of(current_user, page=page, per_page=per_page, kind=kind,
                                    needs_action=_flag("needs_action"), unread=_flag("unread"))
    return {"items": [notification_json(n) for n in items], "total": total,
            "unread": services.unread_count(current_user), "page": page, "per_page": per_page}


@bp.get("/notifications/<int:notification_id>")
@api_doc(summary="One notification.", response=NotificationOut, auth=True)
def detail(notification_id):
    _member_user()
    return notification_json(services.get_visible(current_user, notification_id))


@bp.post("/notifications/<int:notification_id>/read")
@api_doc(summary="Mark one notification read (no body).", response=NotificationOut)
def read_one(notification_id):
    _member_user()
    note = services.get_visible(current_user, notification_id)
    services.mark_read(current_user, note.id)
    db.session.commit()
    return notification_json(note)


@bp.post("/notifications/read")
@api_doc(summary="Mark the notifications named in ``ids`` read, or every unread one when ``ids`` is absent.",
         body=MarkReadBody, response=MarkReadOut)
def read_many():
    _member_user()
    body = parse_body(MarkReadBody, data=request.get_json(silent=True) or {})
    marked = (services.mark_read_many(current_user, body["ids"]) if "ids" in body
              else services.mark_read(current_user, None))
    db.session.commit()
    return {"marked": marked, "unread": services.unread_count(current_user)}
