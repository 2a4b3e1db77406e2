"""Authorisation applications as JSON under /api/v1."""
from flask import abort
from flask_login import current_user

from consortium.core.api import Blueprint, first
from consortium.core.entity import carried
from consortium.extensions import db
from consortium.scenarios import services as scenario_services

from . import permissions, services
from .schemas import ApplicationCreate, ApplicationFields, ApplicationList, ApplicationOut

bp = Blueprint("authorisations_api", __name__, url_prefix="/api/v1",
               description="Authorisation applications (一场景一申请一审批).")


def visible_replication(replication_id) -> dict:
    """A ``core.api.first`` check: signed in (401), the replication visible (404)."""
    if not current_user.is_authenticated:
        abort(401)
    rep = scenario_services.get_replication(replication_id)
    if rep is None or not permissions.can_view(current_user, rep):
        abort(404)
    return {"rep": rep}


@bp.route("/replications/<int:replication_id>/authorisations")
@first(visible_replication)
@bp.response(200, ApplicationList)
def applications(rep):
    """A replication's authorisation applications (一场景一申请一审批)."""
    return {"items": services.list_applications(rep)}


@bp.route("/replications/<int:replication_id>/authorisations", methods=["POST"])
@first(visible_replication)
@bp.arguments(ApplicationCreate)
@bp.response(201, ApplicationOut)
def submit(body, rep):
    """Submit an authorisation application for the replication."""
    fields = carried(ApplicationFields, body)
    fields["attachments"] = "\n".join(body.get("attachments") or [])  # a list in JSON, lines in the row
    app = services.submit_application(current_user, rep, **fields)
    db.session.commit()  # a refused rule raises DomainError: the error handler answers JSON with its field
    return app
