"""Joint negotiation with platform companies (联合谈判): dossiers, versioned structured
positions, one stance per member organisation, sign-on with quorum, outcomes, and the
register of pricing and revenue-share models with its one Decimal engine.
Confidential by construction: see permissions.py."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from consortium.core import registry
    from consortium.counterparties.panels import register_panel

    from . import api, cli, demo, labels, notices, permissions, views
    labels.register()
    app.register_blueprint(views.bp)
    app.register_blueprint(views.pricing_bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    notices.register()
    register_panel("negotiations", views.counterparty_panel)
    registry.add_nav(app, "negotiations.index", _l("Negotiations"), order=50, element_id="nav-negotiations",
                     show=lambda user: permissions.can_open_dossier(user))
    registry.add_demo_seeder(app, "negotiations", demo.seed, order=60)
    registry.add_workspace_section(app, "negotiation_stances", _l("Negotiation positions waiting for your stance"),
                                   notices.workspace_stances, order=25, waiting=True)
    registry.add_workspace_section(app, "negotiation_sign_ons", _l("Sign-ons waiting for your organisation"),
                                   notices.workspace_sign_ons, order=26, waiting=True)
