from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from consortium.core import signals
from consortium.core.weeks import parse_week

from .digest import weekly_digest

bp = Blueprint("workspace", __name__)


@bp.get("/me")
@login_required
def index():
    sections = signals.workspace_blocks(current_user)
    waiting = [s for s in sections if s[0].waiting]
    return render_template("workspace/index.html", waiting=waiting, info=[s for s in sections if not s[0].waiting],
                           waiting_count=sum(len(items) for _s, items, _t in waiting))


@bp.get("/me/digest")
@login_required
def digest():
    week = parse_week(request.args.get("week"))
    result = weekly_digest(current_user, week)
    return render_template("workspace/digest.html", digest=result, prev_week=result.week.previous.name,
                           next_week=result.week.next.name)
