"""Accounts, server-side sign-in sessions, API tokens and the permission questions."""


def init_app(app):
    from . import api, loaders, views  # noqa: F401  (loaders: the user and bearer-token loaders)
    app.register_blueprint(views.bp)
    from consortium.core.api import register
    register(app, api.bp)
    from . import labels, restore
    labels.register()
    restore.init_app(app)  # what a restore does with sessions, tokens and passwords
