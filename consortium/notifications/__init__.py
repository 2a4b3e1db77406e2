"""Notifications: a message to every user of one member organisation about one
object of some domain. The emitting domain declares how its kinds read and who
may still see their target (``signals.kinds``, ``signals.targets``); the rule is applied when a
notification is read."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_signed_in
from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, views, workspace


def _has_notifications(user) -> bool:
    return is_signed_in(user) and user.member_id is not None


def _nav(sender, **kwargs):
    return core_signals.NavEntry("notifications.index", _l("Notifications"), order=90, show=_has_notifications,
                                 element_id="nav-notifications")


def init_app(app):
    app.register_blueprint(views.bp)
    register(app, api.bp)
    app.context_processor(views.badge_context)
    core_signals.nav.connect(_nav)
    core_signals.workspace_sections.connect(workspace.workspace_sections)
    core_signals.digest_sections.connect(workspace.digest_sections)
