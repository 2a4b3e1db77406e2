"""Provinces and prefecture-level cities (reference data and its API)."""


def init_app(app):
    from consortium.core.api import register

    from . import api
    register(app, api.bp)
