"""The joint city data-resource map (城市数据资源联合图谱)."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from consortium.core import registry

    from . import api, cli, demo, io_cli, map_views, views, workspace
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(map_views.bp)  # import/export, DCAT, map, matrix
    cli.register(app)
    io_cli.register(app)
    registry.add_nav(app, "catalog.index", _l("Resource map"), order=30, element_id="nav-resources")
    registry.add_demo_seeder(app, "resources", demo.seed, order=30)
    workspace.register(app)
    from . import labels
    labels.register()
