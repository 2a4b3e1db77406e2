"""/api/v1/access-requests: the same rules as the pages (session + CSRF, or a bearer token)."""
from flask import Blueprint, abort, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import choice_param, json_object, parse_body
from consortium.core.clock import iso_utc
from consortium.core.entity import carried, described, to_json
from consortium.core.openapi import api_doc
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .. import extras
from .. import services as catalog_services
from ..schemas import (AccessDecisionBody, AccessDecisionFields, AccessGrantFields, AccessRequestCreate,
                       AccessRequestFields, AccessRequestList, AccessRequestOut, AccessStepBody, AccessStepFields)
from . import services
from .models import DELIVERY_METHODS, STATUSES

bp = Blueprint("catalog_access_api", __name__, url_prefix="/api/v1")


def _when(value):
    return iso_utc(value) if value else None


def _grant(req, locale) -> dict | None:
    if not req.is_granted:
        return None
    spaces = extras.delivery_spaces()
    space = spaces.describe(req.delivery_space_id) if spaces and req.delivery_space_id else None
    return {"terms": req.terms, "granted_from": req.granted_from.isoformat() if req.granted_from else None,
            "granted_until": req.granted_until.isoformat() if req.granted_until else None,
            "delivery_method": {"code": req.delivery_method,
                                "label": DELIVERY_METHODS.label(req.delivery_method, locale)}
            if req.delivery_method else None,
            "delivery_space": space, "delivery_detail": req.delivery_detail, "contact": req.contact}


def request_json(req, locale=None) -> dict:
    """``schemas.AccessRequestOut``: the request's defined fields, its answer, the grant, the parties."""
    locale = locale or str(get_locale())
    state = req.state()
    return {
        "id": req.id, "status": state, "status_label": STATUSES.label(state, locale),
        **to_json(AccessRequestFields, req, locale),
        "decision_reason": req.decision_reason, "decided_at": _when(req.decided_at),
        "decided_by": {"name": req.decided_by.person_label} if req.decided_by else None,
        "created_at": _when(req.created_at), "grant": _grant(req, locale),
        "delivered_at": _when(req.delivered_at), "delivery_note": req.delivery_note,
        "received_at": _when(req.received_at), "receipt_note": req.receipt_note,
        "resource": {"id": req.resource_id, "title": req.resource.title},
        "requester": {"code": req.requester_member.code, "name": req.requester_member.display_name(locale)},
        "owner": {"code": req.owner_member.code, "name": req.owner_member.display_name(locale)},
        "url": url_for("catalog_access.detail", request_id=req.id),
    }


def _require_signed_in():
    if not is_signed_in(current_user):
        abort(401)


@bp.get("/access-requests")
@api_doc(summary="Access requests your organisation sent or received (``role``: incoming or outgoing; ``status``: "
                 "a state as shown, ``expired`` included).", response=AccessRequestList, auth=True)
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
@api_doc(summary="The owner's answer: approve with the terms of use, the period, the delivery and a contact; or "
                 "decline with a reason.", body=AccessDecisionBody, response=AccessRequestOut)
def decide(request_id):
    _require_signed_in()
    req = services.get_request(current_user, request_id)
    data = json_object()
    if not isinstance(data.get("approve"), bool):
        raise DomainError(_("Say whether you approve (true) or decline (false)."), field="approve")
    allowed = {"approve", "delivery_space_id", *described(AccessDecisionFields), *described(AccessGrantFields)}
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("This field cannot be changed."), field=sorted(unknown)[0])
    grant = carried(AccessGrantFields, data) if data["approve"] else {}
    services.decide_request(current_user, req, approve=data["approve"], delivery_space_id=data.get("delivery_space_id"),
                            **carried(AccessDecisionFields, data), **grant)
    db.session.commit()
    return request_json(req)


@bp.post("/access-requests/<int:request_id>/delivery")
@api_doc(summary="The owner marks the approved data delivered (an optional note).", body=AccessStepBody,
         response=AccessRequestOut)
def deliver(request_id):
    _require_signed_in()
    req = services.get_request(current_user, request_id)
    services.mark_delivered(current_user, req, **carried(AccessStepFields, parse_body(AccessStepBody)))
    db.session.commit()
    return request_json(req)


@bp.post("/access-requests/<int:request_id>/receipt")
@api_doc(summary="The requester confirms receiving the delivered data (an optional note).", body=AccessStepBody,
         response=AccessRequestOut)
def receipt(request_id):
    _require_signed_in()
    req = services.get_request(current_user, request_id)
    services.confirm_receipt(current_user, req, **carried(AccessStepFields, parse_body(AccessStepBody)))
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
