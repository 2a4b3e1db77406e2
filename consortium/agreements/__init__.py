"""Co-operation agreements (签约合作) between members, possibly with counterparties:
a shared concept that scenarios link to and negotiations will end in. Every party
named must confirm (services.py)."""


def init_app(app):
    from consortium.core import registry

    from . import api, demo, labels, queries, views
    labels.register()
    app.register_blueprint(views.bp)
    from consortium.core.api import register
    register(app, api.bp)
    registry.add_demo_seeder(app, "agreements", demo.seed, order=45)
    registry.set_scenario_agreements(app, queries.agreements_of_scenario)
