"""Counterparties (对手方): the platform companies the union negotiates with. A shared
register: negotiations name them, agreements list them as parties. A counterparty
is never a member and never has an account."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_secretariat
from consortium.core import registry
from consortium.core.api import register
from consortium.members.services import add_name_guard

from . import api, demo, labels, queries, views


def init_app(app):
    labels.register()
    add_name_guard("counterparty", lambda name: _("This organisation is recorded as a counterparty and cannot be "
                                                  "a member.") if queries.name_is_counterparty(name) else None)
    app.register_blueprint(views.bp)
    register(app, api.bp)
    registry.add_nav(app, "counterparties.manage", _l("Counterparties"), order=20, menu="secretariat",
                     show=is_secretariat)
    registry.add_demo_seeder(app, "counterparties", demo.seed, order=1)
