"""Harvesting members' own catalogues into the joint map (DCAT-AP, CKAN, a spreadsheet at an
address): sources approved by the secretariat, vocabulary maps, previews, scheduled and
manual runs with reports, archive and restore, provenance. See docs/harvest.md."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_secretariat
from consortium.audit.signals import model_labels
from consortium.catalog import signals as catalog_signals
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.notifications import signals as notification_signals

from . import api, cli, demo, labels, notices, provenance, tasks, views, workspace  # noqa: F401  (tasks: job kinds)


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("harvest", demo.seed, order=95)


def _nav(sender, **kwargs):
    # the main bar is full in English at 1366 px: the secretariat's menu, and for members their workspace
    return core_signals.NavEntry("harvest.index", _l("Harvest sources"), order=30, menu="secretariat",
                                 show=is_secretariat)


def init_app(app):
    app.config.setdefault("HARVEST_ALLOWED_HOSTS", "")
    app.register_blueprint(views.bp)
    register(app, api.bp)
    cli.register(app)
    model_labels.connect(labels.models)
    notification_signals.kinds.connect(notices.kinds)
    notification_signals.targets.connect(notices.targets)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    catalog_signals.entry_sections.connect(provenance.entry_section)
    core_signals.demo_seeders.connect(_demo)
    catalog_signals.dcat_records.connect(provenance.dcat_records)
    core_signals.nav.connect(_nav)
