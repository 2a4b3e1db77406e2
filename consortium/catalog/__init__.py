"""The joint city data-resource map (城市数据资源联合图谱)."""
from flask_babel import lazy_gettext as _l

from consortium.core import registry
from consortium.core.api import register
from consortium.core.backup import restored

# map_views adds its routes to io_views.bp; export_jobs and import_jobs declare their job kinds
from . import api, cli, demo, export_jobs, import_jobs, io_cli, io_views, labels, map_views, views, workspace  # noqa: F401
from .access import api as access_api
from .access import notices as access_notices
from .access import tasks as access_tasks  # noqa: F401  (declares its scheduled work)
from .access import views as access_views
from .access import workspace as access_workspace
from .highlight import highlight
from .search.columns import forget_snapshots


def init_app(app):
    app.register_blueprint(access_views.bp)  # before views.bp: /resources/access-requests/
    app.add_template_global(access_views.status_label, "access_status_label")
    register(app, access_api.bp)
    app.register_blueprint(views.bp)
    register(app, api.bp, prepare=api.describe_extra_filters)
    register(app, api.exports_bp)
    app.register_blueprint(io_views.bp)  # import/export, DCAT (io_views); map, matrix, who-has (map_views)
    app.add_template_filter(highlight, "highlight")
    cli.register(app)

    restored.connect(forget_snapshots)
    io_cli.register(app)
    registry.add_nav(app, "catalog.index", _l("Resource map"), order=30, element_id="nav-resources")
    registry.add_nav(app, "catalog_access.index", _l("Access requests"), order=32,
                     show=lambda user: getattr(user, "is_authenticated", False) and user.is_active,
                     element_id="nav-access-requests")
    access_notices.register()
    access_workspace.register(app)
    registry.add_demo_seeder(app, "resources", demo.seed, order=30)
    workspace.register(app)
    labels.register()
