"""The portal's own pages: the home page, cities and the language switch. They read the domains
through their services. (The health check, /healthz, is consortium.core.health; plotly.js is a
static file.)"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user

from consortium.catalog import services as catalog_services
from consortium.core import registry
from consortium.core.urls import safe_next
from consortium.geo import services as geo_services
from consortium.members import services as member_services
from consortium.scenarios.services import list_groups

bp = Blueprint("portal", __name__)


@bp.get("/")
def home():
    workspace = []
    if current_user.is_authenticated:  # 我的工作台: what waits for this user, on top of the home page
        workspace = [s for s in registry.workspace_sections(current_app, current_user) if s[0].waiting]
    return render_template("portal/home.html", stats=member_services.member_stats(),
                           recent=member_services.recent_members(6), groups=list_groups(),
                           city_total=geo_services.count_cities(),
                           resources=catalog_services.count_visible(current_user),
                           latest_resources=catalog_services.latest_visible(current_user, 5), workspace=workspace,
                           waiting_count=sum(len(items) for _s, items, _t in workspace),
                           sections=registry.home_sections(current_app, current_user))


@bp.get("/cities/")
def cities():
    province = request.args.get("province") or None
    return render_template("portal/cities.html", provinces=geo_services.list_provinces(),
                           cities=geo_services.list_cities(province),
                           counts=member_services.active_member_counts_by_city(), province=province)


@bp.get("/cities/<adcode>")
def city(adcode):
    found = geo_services.get_city_by_adcode(adcode)
    if found is None:
        abort(404)
    return render_template("portal/city.html", city=found,
                           members=member_services.active_members_in_city(found))


@bp.get("/lang/<code>")
def set_language(code):
    """Remembered in the signed cookie session only: switching language writes nothing."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("portal.home")))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links: the same icon, served locally."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml",
                               max_age=7 * 24 * 3600)
