"""Notifications: a message to every user of one member organisation about one
object of some domain. The emitting domain registers how its kinds read and who
may still see their target; the rule is applied when a notification is read."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_signed_in
from consortium.core.registry import add_nav
from consortium.core.api import register

from . import api, views, workspace


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    app.context_processor(views.badge_context)
    add_nav(app, "notifications.index", _l("Notifications"), order=90,
            show=lambda user: is_signed_in(user) and user.member_id is not None,
            element_id="nav-notifications")
    workspace.register(app)
