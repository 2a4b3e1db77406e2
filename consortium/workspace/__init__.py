"""我的工作台: the signed-in user's workspace. It owns no data: every domain contributes
its sections through ``core.signals.workspace_sections`` in its own init_app."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_signed_in
from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, views


def _nav(sender, **kwargs):
    return core_signals.NavEntry("workspace.index", _l("My workspace"), order=5, show=is_signed_in,
                                 element_id="nav-workspace")


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    core_signals.nav.connect(_nav)
