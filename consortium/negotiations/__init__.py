"""Joint negotiation with platform companies (联合谈判): dossiers, versioned structured
positions, one stance per member organisation, sign-on with quorum, outcomes, and the
register of pricing and revenue-share models with its one Decimal engine.
Confidential by construction: see permissions.py."""
from flask_babel import lazy_gettext as _l

from consortium.core import registry
from consortium.core.api import register
from consortium.counterparties.panels import register_panel

from . import api, cli, demo, labels, notices, permissions, views, workspace


def init_app(app):
    labels.register()
    app.register_blueprint(views.bp)
    app.register_blueprint(views.pricing_bp)
    register(app, api.bp)
    app.cli.add_command(cli.group)
    notices.register()
    workspace.register(app)
    register_panel("negotiations", views.counterparty_panel)
    registry.add_nav(app, "negotiations.index", _l("Negotiations"), order=50, element_id="nav-negotiations",
                     show=lambda user: permissions.can_open_dossier(user))
    registry.add_demo_seeder(app, "negotiations", demo.seed, order=60)
