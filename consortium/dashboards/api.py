"""JSON of published dashboards: the list, one dashboard with its versions, and one
version's frozen data. The same visibility as the pages."""
from flask import abort
from flask_login import current_user

from consortium.core.api import Blueprint
from consortium.core.exceptions import NotFound

from . import services
from .schemas import DashboardDetailOut, DashboardList, PublicationOut

bp = Blueprint("dashboards_api", __name__, url_prefix="/api/v1/dashboards", description="Published dashboards.")


@bp.route("")
@bp.response(200, DashboardList)
def index():
    """The dashboards you may read, each with its latest version you may read."""
    items = []
    for dashboard in services.list_dashboards(current_user):
        latest = services.latest_version(current_user, dashboard)
        if latest is not None:
            items.append({"dashboard": dashboard, "latest": latest})
    return {"items": items, "total": len(items)}


@bp.route("/<slug>")
@bp.response(200, DashboardDetailOut)
def detail(slug):
    """One dashboard, with the versions you may read."""
    dashboard = services.get_dashboard(slug)
    latest = services.latest_version(current_user, dashboard) if dashboard else None
    if latest is None:
        abort(404)
    return {"dashboard": dashboard, "latest": latest,
            "versions": services.readable_versions(current_user, dashboard)}


@bp.route("/<slug>/versions/<int:version>")
@bp.response(200, PublicationOut)
def version(slug, version):
    """One version's frozen data."""
    try:
        return services.get_version(current_user, slug, version)
    except NotFound:
        abort(404)
