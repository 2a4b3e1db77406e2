"""Counterparties (对手方): the platform companies the union negotiates with. A shared
register: negotiations name them, agreements list them as parties. A counterparty
is never a member and never has an account."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_secretariat
from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.members.signals import name_refused

from . import api, demo, labels, queries, views


def _refuse_member_name(name, **kwargs):
    """A member is never named like a counterparty (the register keeps the two apart)."""
    if queries.name_is_counterparty(name):
        return _("This organisation is recorded as a counterparty and cannot be a member.")
    return None


def _nav(sender, **kwargs):
    return core_signals.NavEntry("counterparties.manage", _l("Counterparties"), order=20, menu="secretariat",
                                 show=is_secretariat)


def _demo(sender, **kwargs):
    return core_signals.DemoSeeder("counterparties", demo.seed, order=1)


def init_app(app):
    model_labels.connect(labels.models)
    name_refused.connect(_refuse_member_name)
    app.register_blueprint(views.bp)
    register(app, api.bp)
    core_signals.nav.connect(_nav)
    core_signals.demo_seeders.connect(_demo)
