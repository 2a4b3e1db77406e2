"""/api/v1/access-requests: the same rules as the pages (session + CSRF, or a bearer token)."""
from flask_login import current_user
from marshmallow import Schema

from consortium.auth.api import signed_in
from consortium.core.api import Blueprint, first, one_of
from consortium.core.entity import described

from .. import services as catalog_services
from ..schemas import (AccessDecisionBody, AccessGrantFields, AccessRequestCreate, AccessRequestList, AccessRequestOut,
                       AccessStepBody)
from . import services
from .models import STATUSES
from consortium.extensions import db

bp = Blueprint("catalog_access_api", __name__, url_prefix="/api/v1", description="Requests to use others' data.")


class AccessQuery(Schema):
    role = one_of(("incoming", "outgoing"), metadata={"description": "incoming: to your organisation; "
                                                                     "outgoing: from it (default: both)"})
    status = one_of(STATUSES, metadata={"description": "a state as shown (expired included)"})


def visible_request(request_id) -> dict:
    """A ``core.api.first`` check: signed in (401), the request one of the caller's (404)."""
    signed_in()
    return {"req": services.get_request(current_user, request_id)}


@bp.route("/access-requests")
@first(signed_in)
@bp.arguments(AccessQuery, location="query")
@bp.response(200, AccessRequestList)
def index(query):
    """Access requests your organisation sent or received (``role``, ``status``)."""
    rows = services.list_requests(current_user, role=query.get("role"), status=query.get("status"))
    return {"items": rows, "total": len(rows)}


@bp.route("/access-requests/<int:request_id>")
@first(visible_request)
@bp.response(200, AccessRequestOut)
def detail(req):
    """One access request (its parties only)."""
    return req


def visible_resource(resource_id) -> dict:
    signed_in()
    return {"resource": catalog_services.get_resource(current_user, resource_id)}


@bp.route("/resources/<int:resource_id>/access-requests", methods=["POST"])
@first(visible_resource)
@bp.arguments(AccessRequestCreate)
@bp.response(201, AccessRequestOut)
def create(body, resource):
    """Ask the owner for access to a conditional or authorised entry."""
    req = services.request_access(current_user, resource, **body)
    db.session.commit()
    return req


@bp.route("/access-requests/<int:request_id>/decision", methods=["POST"])
@first(visible_request)
@bp.arguments(AccessDecisionBody)
@bp.response(200, AccessRequestOut)
def decide(body, req):
    """The owner's answer: approve with the terms of use, the period, the delivery and a contact;
    or decline with a reason."""
    if not body["approve"]:  # the grant's fields are read only when approving
        body = {k: v for k, v in body.items() if k not in described(AccessGrantFields) and k != "delivery_space_id"}
    services.decide_request(current_user, req, **body)
    db.session.commit()
    return req


@bp.route("/access-requests/<int:request_id>/delivery", methods=["POST"])
@first(visible_request)
@bp.arguments(AccessStepBody, required=False)
@bp.response(200, AccessRequestOut)
def deliver(body, req):
    """The owner marks the approved data delivered (an optional note)."""
    services.mark_delivered(current_user, req, **body)
    db.session.commit()
    return req


@bp.route("/access-requests/<int:request_id>/receipt", methods=["POST"])
@first(visible_request)
@bp.arguments(AccessStepBody, required=False)
@bp.response(200, AccessRequestOut)
def receipt(body, req):
    """The requester confirms receiving the delivered data (an optional note)."""
    services.confirm_receipt(current_user, req, **body)
    db.session.commit()
    return req


@bp.route("/access-requests/<int:request_id>/withdraw", methods=["POST"])
@first(visible_request)
@bp.response(200, AccessRequestOut)
def withdraw(req):
    """Withdraw your pending request (no body)."""
    services.withdraw_request(current_user, req)
    db.session.commit()
    return req
