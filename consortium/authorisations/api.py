"""Authorisation applications as JSON under /api/v1."""
from flask import Blueprint, abort, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.exceptions import DomainError
from consortium.core.entity import carried, to_json
from consortium.core.openapi import api_doc
from consortium.extensions import db
from consortium.scenarios import services as scenario_services

from . import permissions, services
from .schemas import ApplicationCreate, ApplicationFields, ApplicationList, ApplicationOut

bp = Blueprint("authorisations_api", __name__, url_prefix="/api/v1")


def as_json(a):
    """``schemas.ApplicationOut``: the application's defined fields (attachments as a list), the
    decision or withdrawal."""
    return {"id": a.id, "replication_id": a.replication_id, "status": a.status, "status_label": str(a.status_label),
            **to_json(ApplicationFields, a, str(get_locale())),
            "decided_on": a.decided_on.isoformat() if a.decided_on else None,
            "withdrawn_on": a.withdrawn_on.isoformat() if a.withdrawn_on else None,
            "decision_note": a.decision_note, "attachments": a.attachment_list}


def _replication(replication_id):
    if not current_user.is_authenticated:
        abort(401)
    rep = scenario_services.get_replication(replication_id)
    if rep is None or not permissions.can_view(current_user, rep):
        abort(404)
    return rep


@bp.get("/replications/<int:replication_id>/authorisations")
@api_doc(summary="A replication's authorisation applications (一场景一申请一审批).", response=ApplicationList, auth=True)
def applications(replication_id):
    rep = _replication(replication_id)
    return jsonify({"items": [as_json(a) for a in services.list_applications(rep)]})


@bp.post("/replications/<int:replication_id>/authorisations")
@api_doc(summary="Submit an authorisation application for the replication.", body=ApplicationCreate,
         response=ApplicationOut, status=201)
def submit(replication_id):
    rep = _replication(replication_id)
    body = request.get_json(silent=True) or {}
    attachments = body.get("attachments") or []
    if not isinstance(attachments, list):
        raise DomainError(_("Attachments are links starting with http:// or https:// (one per line): %(x)s",
                            x=str(attachments)[:80]), field="attachments")
    fields = carried(ApplicationFields, body)
    fields["attachments"] = "\n".join(str(a) for a in attachments)  # a list in JSON, lines in the row
    app = services.submit_application(current_user, rep, **fields)
    db.session.commit()  # a refused rule raises DomainError: the error handler answers JSON with its field
    return jsonify(as_json(app)), 201
