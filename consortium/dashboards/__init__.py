"""Dashboards the secretariat publishes: composed from a catalogue of panel kinds,
previewed live, published as frozen numbered versions (public or members only).
Reads the other domains only through their ``queries``/``services``; no domain
imports this one."""
from flask_babel import lazy_gettext as _l

from consortium.core import registry
from consortium.core.api import register

from . import api, demo, kinds, labels, views
from .permissions import can_manage
from .services import latest_public


def featured(user):
    """The home page's block: the latest public dashboard version, if any."""
    publication = latest_public()
    if publication is None:
        return None
    return {"publication": publication, "key_figures": publication.key_figures}


def init_app(app):
    labels.register()
    kinds.load()
    app.register_blueprint(views.bp)
    register(app, api.bp)
    registry.add_nav(app, "dashboards.index", _l("Dashboards"), order=60, element_id="nav-dashboards")
    registry.add_nav(app, "dashboards.new", _l("Compose a dashboard"), order=60, menu="secretariat", show=can_manage)
    registry.add_home_section(app, "dashboards/_featured.html", featured, order=10)
    registry.add_demo_seeder(app, "dashboards", demo.seed, order=90)
