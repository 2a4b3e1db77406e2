"""Co-operation agreements (签约合作) between members, possibly with counterparties:
a shared concept that scenarios link to and negotiations will end in. Every party
named must confirm (services.py)."""
from consortium.core import registry
from consortium.core.api import register

from . import api, demo, labels, queries, views


def init_app(app):
    labels.register()
    app.register_blueprint(views.bp)
    register(app, api.bp)
    registry.add_demo_seeder(app, "agreements", demo.seed, order=45)
    registry.set_scenario_agreements(app, queries.agreements_of_scenario)
