"""JSON of published dashboards: the list, one dashboard with its versions, and one
version's frozen data. The same visibility as the pages. The secretariat also composes over the
API: a dashboard and its panels as drafts, each change carrying the version it was read at (a
stale one answers 409 and writes nothing, as the compose page refuses a stale save)."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.core.api import Blueprint, first
from consortium.core.exceptions import Conflict, NotFound, PermissionDenied
from consortium.extensions import db

from . import permissions, services
from .models import DashboardPanel
from .schemas import (
    DashboardCreate,
    DashboardDetailOut,
    DashboardFields,
    DashboardList,
    DashboardUpdate,
    DraftOut,
    DraftPanelOut,
    PanelCreate,
    PanelUpdate,
    PublicationOut,
)

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


# ---------------------------------------------------------------- the secretariat composes

def manager(**kwargs) -> dict:
    """A ``core.api.first`` check: signed in (401), the secretariat (403)."""
    signed_in()
    if not permissions.can_manage(current_user):
        raise PermissionDenied(_("Only the secretariat can do this."))
    return kwargs


def managed_dashboard(slug) -> dict:
    manager()
    dashboard = services.get_dashboard(slug)
    if dashboard is None:
        abort(404)
    return {"dashboard": dashboard}


def managed_panel(slug, panel_id) -> dict:
    found = managed_dashboard(slug)
    panel = db.session.get(DashboardPanel, panel_id)
    if panel is None or panel.dashboard_id != found["dashboard"].id:
        abort(404)
    return found | {"panel": panel}


def _saved_at(what: str, row, version: int, save):
    """Run ``save`` (a service checking ``version``) and commit; a stale version is a 409 saying
    which version was read and which one stands, and nothing is written."""
    try:
        save()
    except Conflict:
        raise Conflict(_("%(what)s was changed by someone else since you read version %(sent)d (it is now at "
                         "version %(now)d): nothing of your change was written. Read it again and send your "
                         "change with the new version.", what=what, sent=version, now=row.version),
                       field="version") from None
    db.session.commit()
    return row


@bp.route("/<slug>/draft")
@first(managed_dashboard)
@bp.response(200, DraftOut)
def draft(dashboard):
    """The dashboard as it is being composed, with its panels and their versions (secretariat)."""
    return dashboard


@bp.route("", methods=["POST"])
@first(manager)
@bp.arguments(DashboardCreate)
@bp.response(201, DraftOut)
def create(body):
    """Create a dashboard (secretariat); add its panels next."""
    dashboard = services.create_dashboard(current_user, **body)
    db.session.commit()
    return dashboard


@bp.route("/<slug>", methods=["PATCH"])
@first(managed_dashboard)
@bp.arguments(DashboardUpdate)
@bp.response(200, DraftOut)
def update(body, dashboard):
    """Change a dashboard's title, address, audience or introduction (secretariat). Send the
    ``version`` you read: a stale one answers 409 and nothing is written."""
    version = body.pop("version")
    current = {name: getattr(dashboard, name) for name in DashboardFields().fields}
    return _saved_at(_("This dashboard"), dashboard, version, lambda: services.update_dashboard(
        current_user, dashboard, version=version, **(current | body)))


@bp.route("/<slug>/panels", methods=["POST"])
@first(managed_dashboard)
@bp.arguments(PanelCreate)
@bp.response(201, DraftPanelOut)
def add_panel(body, dashboard):
    """Add a panel of a kind, with its filters and caption, at the end (secretariat)."""
    panel = services.add_panel(current_user, dashboard, body.pop("kind"), **body)
    db.session.commit()
    return panel


@bp.route("/<slug>/panels/<int:panel_id>", methods=["PATCH"])
@first(managed_panel)
@bp.arguments(PanelUpdate)
@bp.response(200, DraftPanelOut)
def update_panel(body, dashboard, panel):
    """Change a panel's filters or captions (secretariat). Send the panel's ``version`` you read:
    a stale one answers 409 and nothing is written."""
    version = body.pop("version")
    current = {"filters": dict(panel.filters or {}), "caption": panel.caption, "caption_en": panel.caption_en}
    return _saved_at(_("This panel"), panel, version, lambda: services.configure_panel(
        current_user, panel, version=version, **(current | body)))
