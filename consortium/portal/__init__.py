"""The portal: the home page and the city pages that gather every domain, the language
switch, the health check, vendored JS and the demo-data orchestration. The top layer:
it may read every domain (through their services); no domain imports it."""
from flask_babel import lazy_gettext as _l

from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, views


def _nav(sender, **kwargs):
    return core_signals.NavEntry("portal.cities", _l("Cities"), order=20)


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    core_signals.nav.connect(_nav)
