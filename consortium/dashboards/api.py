"""JSON of published dashboards: the list, one dashboard with its versions, and one
version's frozen data. The same visibility as the pages."""
from flask import Blueprint, abort, url_for
from flask_login import current_user

from consortium.core.clock import iso_utc
from consortium.core.exceptions import NotFound

from . import services

bp = Blueprint("dashboards_api", __name__, url_prefix="/api/v1/dashboards")


def _version_summary(slug, publication) -> dict:
    return {"version": publication.version, "published_at": iso_utc(publication.published_at),
            "published_by": publication.published_by_label, "audience": publication.audience,
            "hidden": publication.is_hidden,
            "url": url_for("dashboards_api.version", slug=slug, version=publication.version)}


def _dashboard_json(dashboard, latest) -> dict:
    return {"slug": dashboard.slug, "title": latest.title, "title_en": latest.title_en,
            "audience": latest.audience, "latest_version": latest.version,
            "page": url_for("dashboards.latest", slug=dashboard.slug),
            "url": url_for("dashboards_api.detail", slug=dashboard.slug)}


@bp.get("")
def index():
    items = []
    for dashboard in services.list_dashboards(current_user):
        latest = services.latest_version(current_user, dashboard)
        if latest is not None:
            items.append(_dashboard_json(dashboard, latest))
    return {"items": items, "total": len(items)}


@bp.get("/<slug>")
def detail(slug):
    dashboard = services.get_dashboard(slug)
    latest = services.latest_version(current_user, dashboard) if dashboard else None
    if latest is None:
        abort(404)
    data = _dashboard_json(dashboard, latest)
    data["intro"], data["intro_en"] = latest.intro, latest.intro_en
    data["versions"] = [_version_summary(slug, p) for p in services.readable_versions(current_user, dashboard)]
    return data


@bp.get("/<slug>/versions/<int:version>")
def version(slug, version):
    try:
        publication = services.get_version(current_user, slug, version)
    except NotFound:
        abort(404)
    return dict(_version_summary(slug, publication), slug=slug, title=publication.title,
                title_en=publication.title_en, intro=publication.intro, intro_en=publication.intro_en,
                key_figures=publication.key_figures, panels=publication.panels)
