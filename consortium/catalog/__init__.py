"""The joint city data-resource map (城市数据资源联合图谱)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.core.backup import restored
from consortium.notifications import signals as notification_signals

# map_views adds its routes to io_views.bp; export_jobs and import_jobs declare their job kinds
from . import api, cli, demo, export_jobs, import_jobs, io_cli, io_views, labels, map_views, views, workspace  # noqa: F401
from .access import api as access_api
from .access import notices as access_notices
from .access import tasks as access_tasks  # noqa: F401  (declares its scheduled work)
from .access import views as access_views
from .access import workspace as access_workspace
from .highlight import highlight
from .search.columns import forget_snapshots


def _can_request_access(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def _nav(sender, **kwargs):
    return [core_signals.NavEntry("catalog.index", _l("Resource map"), order=30, element_id="nav-resources"),
            core_signals.NavEntry("catalog_access.index", _l("Access requests"), order=32, show=_can_request_access,
                             element_id="nav-access-requests")]


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("resources", demo.seed, order=30)


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
    core_signals.nav.connect(_nav)
    notification_signals.kinds.connect(access_notices.kinds)
    notification_signals.targets.connect(access_notices.targets)
    core_signals.workspace_sections.connect(access_workspace.workspace_sections)
    core_signals.demo_seeders.connect(_demo)
    core_signals.digest_sections.connect(workspace.digest_sections)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    model_labels.connect(labels.models)
