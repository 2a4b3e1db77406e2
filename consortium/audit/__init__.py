"""The audit trail: who changed what, when, with before/after values."""
from flask_babel import lazy_gettext as _l

from consortium.core import signals as core_signals
from consortium.core.roles import is_secretariat

from . import guard, labels, views  # noqa: F401  (guard: no ORM bulk write around the audit trail)


def _nav(sender, **kwargs):
    return core_signals.NavEntry("audit.index", _l("Audit log"), order=90, menu="secretariat", show=is_secretariat)


def init_app(app):
    app.register_blueprint(views.bp)

    @app.context_processor
    def _audit_helpers():
        return {"audit": labels}
    core_signals.nav.connect(_nav)
