from urllib.parse import urlparse

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from consortium.extensions import db
from consortium.geo.services import count_cities
from consortium.members.services import member_stats, recent_members
from consortium.scenarios.services import list_groups

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    from sqlalchemy import func, select

    from consortium.catalog.models import DataResource
    from consortium.catalog.permissions import visible_clause
    visible = visible_clause(current_user)
    resources = db.session.scalar(select(func.count(DataResource.id)).where(visible))
    latest = db.session.scalars(select(DataResource).where(visible)
                                .order_by(DataResource.updated_at.desc(), DataResource.id.desc()).limit(5)).all()
    workspace = []
    if current_user.is_authenticated:  # 我的工作台: what waits for this user, on top of the home page
        from flask import current_app

        from consortium.core import registry
        workspace = [s for s in registry.workspace_sections(current_app, current_user) if s[0].waiting]
    return render_template("core/home.html", stats=member_stats(), recent=recent_members(6),
                           groups=list_groups(), city_total=count_cities(), resources=resources,
                           latest_resources=latest, workspace=workspace,
                           waiting_count=sum(len(items) for _s, items, _t in workspace))


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed."""
    if not target:
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/lang/<code>")
def set_language(code):
    from flask import current_app
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("core.home")))


@bp.get("/healthz")
def healthz():
    """Liveness probe (and the minimal route the benchmark compares against)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js as shipped inside the installed plotly package: always the
    version the Python side was built against, and never from a CDN."""
    from pathlib import Path

    import plotly
    from flask import send_file
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return send_file(path, mimetype="text/javascript", max_age=7 * 24 * 3600)
