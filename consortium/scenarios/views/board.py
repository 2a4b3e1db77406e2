"""The lead's board of a group: filters, the spreadsheet export and the digest."""

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core import spreadsheets
from consortium.core.clock import local_today
from consortium.core.weeks import Week, parse_week
from consortium.geo.services import list_provinces

from .. import board as board_data
from .. import charts, permissions
from ..constants import STAGE_LINE, STAGES
from ..queries import board_funnel
from .common import _group_or_404, _locale, _require, bp

# ---------------------------------------------------------------- board

def _board_filters(group):
    args = request.args
    scenario_id = args.get("scenario", type=int)
    if scenario_id and not any(s.id == scenario_id for s in group.scenarios):
        scenario_id = None
    stage = args.get("stage") if args.get("stage") in list(STAGES) + ["stalled_flag"] else None
    province = args.get("province") or None
    return {"scenario_id": scenario_id, "province": province, "stage": stage}


@bp.get("/groups/<group_code>/board")
@login_required
def board(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_read_replications(current_user))
    filters = _board_filters(group)
    data = board_data.build_board(group, locale=_locale(), **filters)
    # every chart shows the board's replications: the same filters, asked of the database (a
    # national board's 13,000 ids as an IN list cost 200 ms to send); the stall rule's flag is
    # decided in Python, so that filter passes the ids it kept
    narrow = {"scenario_id": filters["scenario_id"], "province": filters["province"]}
    if filters["stage"] == "stalled_flag":
        ids = [c.replication_id for c in data.cells.values()]
        points = board_data.timeline(group, replication_ids=ids, **narrow)
        funnel = board_funnel(ids)
    else:
        points = board_data.timeline(group, stage=filters["stage"], **narrow)
        funnel = board_funnel(group_id=group.id, stage=filters["stage"], **narrow)
    locale = _locale()
    figures = {"funnel": charts.funnel(funnel, locale), "timeline": charts.timeline(points, locale)}
    matrix = board_data.matrix_rows(data, dict(STAGES.choices(locale)), url_for("scenarios.replication", replication_id=0)[:-1],
                                    _("no progress for %(n)d days", n=group.stall_days))
    return render_template("scenarios/board.html", group=group, board=data, figures=figures, filters=filters,
                           matrix=matrix, funnel=funnel,
                           provinces=list_provinces(), stage_line=STAGE_LINE,
                           promotable=[s for s in data.scenarios
                                       if data.live_counts.get(s.id, 0) >= group.promotable_cities])


@bp.get("/groups/<group_code>/export.<fmt>")
@login_required
def export(group_code, fmt):
    group = _group_or_404(group_code)
    _require(permissions.can_read_replications(current_user))
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = board_data.export_rows(group, locale=_locale(), **_board_filters(group))
    header = [_("Scenario"), _("Member"), _("City"), _("Province"), _("Stage"), _("Last event"), _("Stalled"),
              _("Owner"), _("Next step"), _("Blockers")]
    name = f"board-{group.code}-{local_today().isoformat()}.{fmt}"
    if fmt == "csv":
        body, mime = spreadsheets.to_csv(header, rows), "text/csv"  # Flask adds the one "; charset=utf-8"
    else:
        body = spreadsheets.to_xlsx(header, rows, group.code)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/groups/<group_code>/digest")
@login_required
def digest(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_lead(current_user, group))
    week = Week(parse_week(request.args.get("week")))
    return render_template("scenarios/digest.html", group=group, digest=board_data.weekly_digest(group, week))
