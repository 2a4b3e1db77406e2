"""Accounts, server-side sign-in sessions, API tokens and the permission questions."""
from consortium.audit.signals import model_labels
from consortium.core.api import register

from . import api, labels, loaders, restore, views  # noqa: F401  (loaders: the user and bearer-token loaders)


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    model_labels.connect(labels.models)
    restore.init_app(app)  # what a restore does with sessions, tokens and passwords
