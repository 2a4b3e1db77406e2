"""Vertical scenario groups, seed scenarios, replications city by city, agreements."""
from flask_babel import lazy_gettext as _l

from consortium.catalog.hooks import register_needed_by
from consortium.core import registry
from consortium.core.api import register

from . import api, demo, labels, notices, permissions, views, workspace
from .queries import needed_by_entries


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    notices.register()

    register_needed_by(needed_by_entries)  # "scenarios that need this data" on resource-map entries
    workspace.register(app)
    labels.register()
    registry.add_nav(app, "scenarios.index", _l("Scenario groups"), order=40, element_id="nav-scenarios")
    registry.add_profile_fact(app, "leads_groups", lambda user: [g.code for g in permissions.led_groups(user)])

    @app.context_processor
    def _scenario_permissions():
        return {"scenario_perm": permissions, "profile_groups": permissions.led_groups}

    registry.add_demo_seeder(app, "groups", demo.seed_groups, order=35)
    registry.add_demo_seeder(app, "scenarios", demo.seed, order=40)
