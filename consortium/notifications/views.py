from flask import Blueprint, abort, redirect, render_template, request, url_for
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


@bp.get("/")
@login_required
def index():
    return render_template("notifications/index.html", items=services.list_notifications(current_user),
                           message_of=registry.message_of, url_of=registry.url_of)


@bp.post("/read")
@login_required
def read():
    raw = request.form.get("id")
    try:
        services.mark_read(current_user, int(raw) if raw else None)
    except (NotFound, ValueError):
        abort(404)
    db.session.commit()
    return redirect(url_for("notifications.index"))


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
