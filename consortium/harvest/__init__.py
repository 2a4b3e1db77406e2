"""Harvesting members' own catalogues into the joint map (DCAT-AP, CKAN, a spreadsheet at an
address): sources approved by the secretariat, vocabulary maps, previews, scheduled and
manual runs with reports, archive and restore, provenance. See docs/harvest.md."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_secretariat
from consortium.catalog import extras
from consortium.core import registry
from consortium.core.api import register

from . import api, cli, demo, labels, notices, provenance, tasks, views, workspace  # noqa: F401  (tasks: job kinds)


def init_app(app):
    app.config.setdefault("HARVEST_ALLOWED_HOSTS", "")
    app.register_blueprint(views.bp)
    register(app, api.bp)
    cli.register(app)
    labels.register()
    notices.register()
    workspace.register(app)
    extras.add_entry_section(app, provenance.entry_section)
    registry.add_demo_seeder(app, "harvest", demo.seed, order=95)
    extras.add_dcat_records(app, provenance.dcat_records)
    # the main bar is full in English at 1366 px: the secretariat's menu, and for members their workspace
    registry.add_nav(app, "harvest.index", _l("Harvest sources"), order=30, menu="secretariat",
                     show=is_secretariat)
