"""Co-operation agreements (签约合作) between members, possibly with counterparties:
a shared concept that scenarios link to and negotiations will end in. Every party
named must confirm (services.py)."""
from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, demo, labels, queries, views


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("agreements", demo.seed, order=45)


def _scenario_block(scenario, user):
    """The scenario page's card: the agreements linked to it that ``user`` may see."""
    return {"agreements": queries.agreements_of_scenario(user, scenario)}


def _page_sections(sender, **kwargs):
    return core_signals.PageSection("scenario", "agreements/_scenario.html", _scenario_block)


def init_app(app):
    model_labels.connect(labels.models)
    app.register_blueprint(views.bp)
    register(app, api.bp)
    core_signals.demo_seeders.connect(_demo)
    core_signals.page_sections.connect(_page_sections)
