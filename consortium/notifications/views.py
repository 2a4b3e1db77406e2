from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from consortium.auth.permissions import is_signed_in
from consortium.core.exceptions import NotFound
from consortium.extensions import db

from . import registry, services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def badge_context():
    def unread():
        return services.unread_count(current_user) if is_signed_in(current_user) else 0
    return {"unread_notifications": unread}


def filters_from(args) -> dict:
    """The list's filters from a query string: ``kind`` (a registered kind), ``action=1`` (only
    what asks me to act), ``unread=1``; anything else is ignored."""
    kind = args.get("kind")
    return {"kind": kind if kind and registry.get_kind(kind) else None,
            "needs_action": args.get("action") == "1", "unread": args.get("unread") == "1"}


@bp.get("/")
@login_required
def index():
    filters = filters_from(request.args)
    groups = services.grouped(current_user, unread_first=True, **filters)
    settings = url_for("mail.settings") if "mail.settings" in current_app.view_functions else None
    return render_template("notifications/index.html", groups=groups, filters=filters, kinds=registry.kinds(),
                           message_of=registry.message_of, detail_of=registry.detail_of, url_of=registry.url_of,
                           kind_of=registry.get_kind,
                           email_settings_url=settings)


@bp.post("/read")
@login_required
def read():
    raw = request.form.get("ids") or request.form.get("id")
    try:
        if raw:
            services.mark_read_many(current_user, raw.split(","))
        else:
            services.mark_read(current_user, None)
    except (NotFound, ValueError):
        abort(404)
    db.session.commit()
    back = {k: v for k, v in request.form.items() if k in ("kind", "action", "unread") and v}
    return redirect(url_for("notifications.index", **back))


@bp.get("/<int:notification_id>/open")
@login_required
def open_target(notification_id):
    """Follow a notification to its object, marking it read on the way."""
    try:
        note = services.get_visible(current_user, notification_id)
    except NotFound:
        abort(404)
    services.mark_read(current_user, note.id)
    db.session.commit()
    return redirect(registry.url_of(note) or url_for("notifications.index"))
