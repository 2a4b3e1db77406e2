"""The portal's own pages: the home page, cities and the language switch. They read the domains
through their services. (The health check, /healthz, is consortium.core.health; plotly.js is a
static file.)"""
from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.catalog import charts as catalog_charts
from consortium.catalog import services as catalog_services
from consortium.catalog.coverage import CityCount
from consortium.core import signals
from consortium.core.urls import safe_next
from consortium.errors import render_error
from consortium.geo import services as geo_services
from consortium.geo.maps import map_config
from consortium.members import services as member_services
from consortium.registers.constants import SPACE_KINDS, SPACE_STATUSES
from consortium.scenarios.constants import STAGES
from consortium.scenarios.services import list_groups

from .cities import overview

bp = Blueprint("portal", __name__)


@bp.get("/")
def home():
    workspace = []
    if current_user.is_authenticated:  # 我的工作台: what waits for this user, on top of the home page
        workspace = signals.workspace_blocks(current_user, waiting_only=True)
    return render_template("portal/home.html", stats=member_services.member_stats(),
                           recent=member_services.recent_members(6), groups=list_groups(),
                           city_total=geo_services.count_cities(),
                           resources=catalog_services.count_visible(current_user),
                           latest_resources=catalog_services.latest_visible(current_user, 5), workspace=workspace,
                           waiting_count=sum(len(items) for _s, items, _t in workspace),
                           sections=signals.home_section_blocks(current_user))


@bp.get("/cities/")
def cities():
    province = request.args.get("province") or None
    return render_template("portal/cities.html", provinces=geo_services.list_provinces(),
                           cities=geo_services.list_cities(province),
                           counts=member_services.active_member_counts_by_city(), province=province)


@bp.get("/cities/<adcode>")
def city(adcode):
    """What the union knows about a city, each part read through its domain's queries and
    filtered by what the viewer may see: members, resource-map entries per domain (on the
    standard map), seed scenarios and replications (signed-in users only), data spaces and
    the registration bodies whose certificates count there."""
    found = geo_services.find_city(adcode)  # the division code; a name (青岛, 青岛市) leads to it
    if found is None:
        return render_error(404, _("No city has the division code or name “%(code)s”. Find the city in the "
                                   "list of cities.", code=adcode[:20]))
    if found.adcode != adcode:
        return redirect(url_for("portal.city", adcode=found.adcode))
    locale = str(get_locale())
    seen = overview(current_user, found, locale)
    figure = catalog_charts.china_map([CityCount(found, seen.total)], locale, {}) if seen.total else None
    return render_template("portal/city.html", city=found, locale=locale, members=seen.members,
                           domains=seen.domains, total=seen.total, figure=figure, map_config=map_config(),
                           seeds=seen.seeds, can_read_replications=seen.replications_visible,
                           replications=seen.replications, stages=STAGES, spaces=seen.spaces,
                           space_kinds=SPACE_KINDS, space_statuses=SPACE_STATUSES, bodies=seen.bodies)


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
