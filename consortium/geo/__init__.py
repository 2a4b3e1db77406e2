"""Provinces and prefecture-level cities (reference data)."""


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from consortium.core import registry

    from . import api, views
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    registry.add_nav(app, "geo.index", _l("Cities"), order=20)
