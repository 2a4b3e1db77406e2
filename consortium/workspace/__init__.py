"""我的工作台: the signed-in user's workspace. It owns no data: every domain contributes
its sections through ``core.registry.add_workspace_section`` in its own init_app."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_signed_in
from consortium.core import registry
from consortium.core.api import register

from . import api, views


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    registry.add_nav(app, "workspace.index", _l("My workspace"), order=5, show=is_signed_in,
                     element_id="nav-workspace")
