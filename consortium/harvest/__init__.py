"""Harvesting members' own catalogues into the joint map (DCAT-AP, CKAN, a spreadsheet at an
address): sources approved by the secretariat, vocabulary maps, previews, scheduled and
manual runs with reports, archive and restore, provenance. See docs/harvest.md."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from consortium.auth.permissions import is_signed_in
    from consortium.catalog import extras
    from consortium.core import registry

    from . import api, cli, demo, labels, notices, provenance, tasks, views, workspace  # noqa: F401  (tasks: job kinds)
    app.config.setdefault("HARVEST_ALLOWED_HOSTS", "")
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    cli.register(app)
    labels.register()
    notices.register()
    workspace.register(app)
    extras.add_entry_section(app, provenance.entry_section)
    registry.add_demo_seeder(app, "harvest", demo.seed, order=32)
    extras.add_dcat_records(app, provenance.dcat_records)
    registry.add_nav(app, "harvest.index", _l("Harvest sources"), order=34,
                     show=lambda user: is_signed_in(user) and user.is_active, element_id="nav-harvest")
