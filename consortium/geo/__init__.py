"""Provinces and prefecture-level cities (reference data and its API)."""
from consortium.core.api import register

from . import api


def init_app(app):
    register(app, api.bp)
