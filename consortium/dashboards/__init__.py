"""Dashboards the secretariat publishes: composed from a catalogue of panel kinds,
previewed live, published as frozen numbered versions (public or members only).
Reads the other domains only through their ``queries``/``services``; no domain
imports this one."""
from flask_babel import lazy_gettext as _l

from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
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


def _nav(sender, **kwargs):
    return [core_signals.NavEntry("dashboards.index", _l("Dashboards"), order=60, element_id="nav-dashboards"),
            core_signals.NavEntry("dashboards.new", _l("Compose a dashboard"), order=60, menu="secretariat",
                                  show=can_manage)]


def _home_sections(sender, **kwargs):
    return core_signals.HomeSection("dashboards/_featured.html", featured, order=10)


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("dashboards", demo.seed, order=90)


def init_app(app):
    model_labels.connect(labels.models)
    kinds.load()
    app.register_blueprint(views.bp)
    register(app, api.bp)
    core_signals.nav.connect(_nav)
    core_signals.home_sections.connect(_home_sections)
    core_signals.demo_seeders.connect(_demo)
