"""/api/v1/access-requests: the same rules as the pages (session + CSRF, or a bearer token)."""
from flask import Blueprint, abort, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import choice_param, json_object
from consortium.core.entity import carried, described, to_json
from consortium.core.openapi import api_doc
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .. import services as catalog_services
from ..schemas import (AccessDecisionBody, AccessDecisionFields, AccessRequestCreate, AccessRequestFields,
                       AccessRequestList, AccessRequestOut)
from . import services
from .models import STATUSES

bp = Blueprint("catalog_access_api", __name__, url_prefix="/api/v1")


def request_json(req, locale=None) -> dict:
    """``schemas.AccessRequestOut``: the request's defined fields, its answer, the parties."""
    locale = locale or str(get_locale())
    return {
        "id": req.id, "status": req.status, **to_json(AccessRequestFields, req, locale),
        "decision_reason": req.decision_reason,
        "decided_at": req.decided_at.isoformat() if req.decided_at else None,
        "created_at": req.created_at.isoformat() if req.created_at else None,
        "resource": {"id": req.resource_id, "title": req.resource.title},
        "requester": {"code": req.requester_member.code, "name": req.requester_member.display_name(locale)},
        "owner": {"code": req.owner_member.code, "name": req.owner_member.display_name(locale)},
        "url": url_for("catalog_access.detail", request_id=req.id),
    }


def _require_signed_in():
    if not is_signed_in(current_user):
        abort(401)


@bp.get("/access-requests")
@api_doc(summary="Access requests your organisation sent or received (``role``: incoming or outgoing; ``status``).",
         response=AccessRequestList, auth=True)
def index():
    _require_signed_in()
    role = choice_param("role", ("incoming", "outgoing"))
    status = choice_param("status", STATUSES)
    rows = services.list_requests(current_user, role=role, status=status)
    return {"items": [request_json(r) for r in rows], "total": len(rows)}


@bp.get("/access-requests/<int:request_id>")
@api_doc(summary="One access request (its parties only).", response=AccessRequestOut, auth=True)
def detail(request_id):
    _require_signed_in()
    return request_json(services.get_request(current_user, request_id))


@bp.post("/resources/<int:resource_id>/access-requests")
@api_doc(summary="Ask the owner for access to a conditional or authorised entry.", body=AccessRequestCreate,
         response=AccessRequestOut, status=201)
def create(resource_id):
    _require_signed_in()
    resource = catalog_services.get_resource(current_user, resource_id)
    data = json_object()
    unknown = set(data) - set(described(AccessRequestFields))
    if unknown:
        raise DomainError(_("This field cannot be changed."), field=sorted(unknown)[0])
    req = services.request_access(current_user, resource, **data)
    db.session.commit()
    return request_json(req), 201


@bp.post("/access-requests/<int:request_id>/decision")
@api_doc(summary="The owner's answer (a reason is required when declining).", body=AccessDecisionBody,
         response=AccessRequestOut)
def decide(request_id):
    _require_signed_in()
    req = services.get_request(current_user, request_id)
    data = json_object()
    if not isinstance(data.get("approve"), bool):
        raise DomainError(_("Say whether you approve (true) or decline (false)."), field="approve")
    services.decide_request(current_user, req, approve=data["approve"],
                            **carried(AccessDecisionFields, data))
    db.session.commit()
    return request_json(req)


@bp.post("/access-requests/<int:request_id>/withdraw")
@api_doc(summary="Withdraw your pending request (no body).", response=AccessRequestOut)
def withdraw(request_id):
    _require_signed_in()
    req = services.get_request(current_user, request_id)
    services.withdraw_request(current_user, req)
    db.session.commit()
    return request_json(req)
