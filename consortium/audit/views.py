import csv
import io
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.requests import int_param
from consortium.core.clock import local_text, utc_start_of_local_day, local_today
from consortium.extensions import db

from . import labels, permissions, services

bp = Blueprint("audit", __name__, url_prefix="/audit")
EXPORT_LIMIT = 50_000


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(args):
    start_day, end_day = _day(args.get("from")), _day(args.get("to"))
    return dict(object_type=args.get("type") or None, action=args.get("action") or None,
                actor_id=int_param("actor", None), member_id=int_param("member", None),
                q=(args.get("q") or "").strip() or None,
                start=utc_start_of_local_day(start_day) if start_day else None,
                end=utc_start_of_local_day(end_day + timedelta(days=1)) if end_day else None)


def _require():
    if not permissions.can_view_audit_log(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    _require()
    args = request.args
    page = db.paginate(services.list_audit(**_filters(args)), per_page=current_app.config["PER_PAGE"] * 2,
                       error_out=False)
    actors = services.actors()
    members = sorted({u.member for u in actors if u.member is not None}, key=lambda m: m.name)
    return render_template("audit/index.html", page=page, types=labels.model_choices(), args=args,
                           actors=actors, members=members)


@bp.get("/export.csv")
@login_required
def export():
    """The filtered log as CSV (UTF-8 with BOM for spreadsheet programs); times in Beijing time."""
    _require()
    rows = db.session.scalars(services.list_audit(**_filters(request.args)).limit(EXPORT_LIMIT))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("When (Beijing time, UTC+8)"), _("Who"), _("Action"), _("Object type"), _("Object ID"),
                     _("Object"), _("Changes (before → after)")])
    actions = {"create": _("created"), "update": _("updated"), "delete": _("deleted")}
    for row in rows:
        changes = "; ".join(f"{f}: {b} → {a}" if row.action != "create" else f"{f}: {a}"
                            for f, b, a in labels.change_list(row))
        writer.writerow([local_text(row.created_at), labels.actor_label(row), actions.get(row.action, row.action),
                         labels.model_label(row.object_type), row.object_id, row.object_label, changes])
    name = f"audit-{local_today().isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
