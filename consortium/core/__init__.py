"""The portal's kernel helpers (exceptions, clock, forms, API helpers, registry) and
its own pages: home, language switch, health check, vendored JS."""


def init_app(app):
    from . import views
    app.register_blueprint(views.bp)
