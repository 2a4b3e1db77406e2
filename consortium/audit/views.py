from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from consortium.extensions import db

from . import permissions, services

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@login_required
def index():
    if not permissions.can_view_audit_log(current_user):
        abort(403)
    args = request.args
    stmt = services.list_audit(object_type=args.get("type") or None,
                               action=args.get("action") or None,
                               actor_id=args.get("actor", type=int),
                               q=(args.get("q") or "").strip() or None)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"] * 2, error_out=False)
    return render_template("audit/index.html", page=page, types=services.object_types(), args=args)
