"""The audit trail: who changed what, when, with before/after values."""
from flask_babel import lazy_gettext as _l

from consortium.core import registry
from consortium.core.roles import is_secretariat

from . import guard, labels, views  # noqa: F401  (guard: no ORM bulk write around the audit trail)


def init_app(app):
    app.register_blueprint(views.bp)

    @app.context_processor
    def _audit_helpers():
        return {"audit": labels}
    registry.add_nav(app, "audit.index", _l("Audit log"), order=90, menu="secretariat", show=is_secretariat)
