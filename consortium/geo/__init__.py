"""Provinces and prefecture-level cities (reference data and its API)."""


def init_app(app):
    from . import api
    app.register_blueprint(api.bp)
