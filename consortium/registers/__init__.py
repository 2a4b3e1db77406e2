"""Registers the union keeps: data-asset registration mutual recognition (数据资产登记互认)
and trusted data spaces (可信数据空间)."""
from flask_babel import lazy_gettext as _l

from consortium.catalog import extras
from consortium.core import registry
from consortium.core.api import register

from . import api, catalog_links, demo, labels, views, workspace


def init_app(app):
    labels.register()
    app.register_blueprint(views.bp)
    register(app, api.bp)
    extras.add_filter(app, catalog_links.SPACE_FILTER)
    extras.add_entry_section(app, catalog_links.entry_section)
    extras.set_delivery_spaces(app, catalog_links.DELIVERY_SPACES)
    workspace.register(app)
    extras.add_value_link(app, "registration_no", catalog_links.certificate_link)
    registry.add_nav(app, "registers.index", _l("Registers"), order=50, element_id="nav-registers")
    registry.add_demo_seeder(app, "registers", demo.seed, order=50)
