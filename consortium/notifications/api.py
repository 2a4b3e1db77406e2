"""/api/v1/notifications: the signed-in user's notifications (their member's), paged and
filtered, and marking them read — the same rules as the page (visibility asked when read)."""
from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.core.api import Blueprint, first
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import registry, services
from .schemas import MarkReadBody, MarkReadOut, NotificationOut, NotificationPage, NotificationQuery

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1",
               description="Your organisation's notifications.")


def member_user(**kwargs) -> dict:
    """A ``core.api.first`` check: signed in (401) as a member organisation's user (404:
    notifications go to member organisations)."""
    signed_in()
    if current_user.member_id is None:
        abort(404)
    return kwargs


def visible_notification(notification_id) -> dict:
    member_user()
    return {"note": services.get_visible(current_user, notification_id)}


@bp.route("/notifications")
@first(member_user)
@bp.arguments(NotificationQuery, location="query")
@bp.response(200, NotificationPage)
def index(query):
    """Your organisation's notifications you may see, newest first (paged; ``kind``,
    ``needs_action``, ``unread``)."""
    kind = query.get("kind") or None
    if kind is not None and registry.get_kind(kind) is None:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="kind", value=kind),
                          field="kind")
    page, per_page = query["page"], query.get("per_page") or current_app.config["PER_PAGE"]
    items, total = services.page_of(current_user, page=page, per_page=per_page, kind=kind,
                                    needs_action=query["needs_action"], unread=query["unread"])
    return {"items": items, "total": total, "unread": services.unread_count(current_user),
            "page": page, "per_page": per_page}


@bp.route("/notifications/<int:notification_id>")
@first(visible_notification)
@bp.response(200, NotificationOut)
def detail(note):
    """One notification."""
    return note


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@first(visible_notification)
@bp.response(200, NotificationOut)
def read_one(note):
    """Mark one notification read (no body)."""
    services.mark_read(current_user, note.id)
    db.session.commit()
    return note


@bp.route("/notifications/read", methods=["POST"])
@first(member_user)
@bp.arguments(MarkReadBody, required=False)
@bp.response(200, MarkReadOut)
def read_many(body):
    """Mark the notifications named in ``ids`` read, or every unread one when ``ids`` is absent
    (the body may be left out)."""
    marked = (services.mark_read_many(current_user, body["ids"]) if "ids" in body
              else services.mark_read(current_user, None))
    db.session.commit()
    return {"marked": marked, "unread": services.unread_count(current_user)}
