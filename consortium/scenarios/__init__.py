"""Vertical scenario groups, seed scenarios, replications city by city, agreements."""
from flask_babel import lazy_gettext as _l

from consortium.audit.signals import model_labels
from consortium.catalog.signals import needed_by
from consortium.core import signals as core_signals
from consortium.core.api import register
from consortium.notifications import signals as notification_signals

from . import api, demo, labels, notices, permissions, views, workspace
from .queries import needed_by_entries


def _nav(sender, **kwargs):
    return core_signals.NavEntry("scenarios.index", _l("Scenario groups"), order=40, element_id="nav-scenarios")


def _profile_facts(user, **kwargs):
    return {"leads_groups": [g.code for g in permissions.led_groups(user)]}


def _demo(sender, **kwargs):
    return [core_signals.DemoSeeder("groups", demo.seed_groups, order=35),
            core_signals.DemoSeeder("scenarios", demo.seed, order=40)]


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    notification_signals.kinds.connect(notices.kinds)
    notification_signals.targets.connect(notices.targets)

    needed_by.connect(needed_by_entries)  # "scenarios that need this data" on resource-map entries
    core_signals.digest_sections.connect(workspace.digest_sections)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    model_labels.connect(labels.models)
    core_signals.nav.connect(_nav)
    core_signals.profile_facts.connect(_profile_facts)

    @app.context_processor
    def _scenario_permissions():
        return {"scenario_perm": permissions, "profile_groups": permissions.led_groups}

    core_signals.demo_seeders.connect(_demo)
