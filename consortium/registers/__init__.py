"""Registers the union keeps: data-asset registration mutual recognition (数据资产登记互认)
and trusted data spaces (可信数据空间)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.signals import model_labels
from consortium.catalog import signals as catalog_signals
from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, catalog_links, demo, labels, views, workspace


def _nav(sender, **kwargs):
    return core_signals.NavEntry("registers.index", _l("Registers"), order=50, element_id="nav-registers")


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("registers", demo.seed, order=50)


def init_app(app):
    model_labels.connect(labels.models)
    app.register_blueprint(views.bp)
    register(app, api.bp)
    catalog_signals.extra_filters.connect(catalog_links.extra_filters)
    catalog_signals.entry_sections.connect(catalog_links.entry_section)
    catalog_signals.delivery_spaces.connect(catalog_links.delivery_spaces)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    catalog_signals.value_links.connect(catalog_links.value_links)
    core_signals.nav.connect(_nav)
    core_signals.demo_seeders.connect(_demo)
