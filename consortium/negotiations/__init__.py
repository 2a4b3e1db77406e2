"""Joint negotiation with platform companies (联合谈判): dossiers, versioned structured
positions, one stance per member organisation, sign-on with quorum, outcomes, and the
register of pricing and revenue-share models with its one Decimal engine.
Confidential by construction: see permissions.py."""
from flask_babel import lazy_gettext as _l

from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.counterparties.signals import page_panels
from consortium.notifications import signals as notification_signals

from . import api, cli, demo, labels, notices, permissions, views, workspace


def _nav(sender, **kwargs):
    return core_signals.NavEntry("negotiations.index", _l("Negotiations"), order=50, element_id="nav-negotiations",
                                 show=permissions.can_open_dossier)


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("negotiations", demo.seed, order=60)


def init_app(app):
    model_labels.connect(labels.models)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.pricing_bp)
    register(app, api.bp)
    app.cli.add_command(cli.group)
    notification_signals.kinds.connect(notices.kinds)
    notification_signals.targets.connect(notices.targets)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    page_panels.connect(views.counterparty_panel)
    core_signals.nav.connect(_nav)
    core_signals.demo_seeders.connect(_demo)
