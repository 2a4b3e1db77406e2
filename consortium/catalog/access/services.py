"""The rules of access requests. Explicit ``actor``; flush only; the caller commits."""

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.entity import clean_values, row_values
from consortium.extensions import db
from consortium.notifications.services import notify

from . import permissions
from ..schemas import AccessDecisionFields, AccessRequestFields
from .models import AccessRequest



def open_request_of(actor, resource) -> AccessRequest | None:
    """The actor's member's pending request for this entry, if any."""
    if getattr(actor, "member_id", None) is None:
        return None
    return db.session.scalar(select(AccessRequest).where(
        AccessRequest.resource_id == resource.id, AccessRequest.requester_member_id == actor.member_id,
        AccessRequest.status == "pending"))


def request_access(actor, resource, **fields) -> AccessRequest:
    """``fields`` are those of ``schemas.AccessRequestFields``."""
    if not permissions.can_request(actor, resource):
        raise PermissionDenied(_("Only other members can ask to use an entry open on conditions or under "
                                 "authorised operation."))
    clean = clean_values(AccessRequestFields, fields, creating=True)
    start, end = clean.get("period_start"), clean.get("period_end")
    if start and end and start > end:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if open_request_of(actor, resource) is not None:
        raise DomainError(_("Your organisation already has an open request for this entry."), field="purpose")
    set_actor(actor)
    req = AccessRequest(resource=resource, resource_id=resource.id, requester_member_id=actor.member_id,
                        owner_member_id=resource.member_id, requested_by_id=actor.id, status="pending",
                        decision_reason="", **row_values(AccessRequestFields, clean))
    db.session.add(req)
    db.session.flush()
    notify(actor, resource.member, "catalog.access_requested", target_type="access_request", target_id=req.id,
           payload={"title": resource.title, "member": actor.member.name})
    return req


def decide_request(actor, req: AccessRequest, *, approve: bool, **fields) -> AccessRequest:
    """``fields`` are those of ``schemas.AccessDecisionFields``; declining needs a reason."""
    if not permissions.can_decide(actor, req):
        if req.status != "pending" and permissions.can_view(actor, req):
            raise DomainError(_("This request has already been answered."), field="reason")
        raise PermissionDenied(_("Only the owning member's users can answer this request."))
    clean = clean_values(AccessDecisionFields, fields, creating=True, required=() if approve else ("reason",))
    set_actor(actor)
    for name, value in row_values(AccessDecisionFields, clean).items():
        setattr(req, name, value)
    req.status = "approved" if approve else "declined"
    req.decided_by_id = actor.id
    req.decided_at = utcnow()
    db.session.flush()
    notify(actor, req.requester_member, "catalog.access_approved" if approve else "catalog.access_declined",
           target_type="access_request", target_id=req.id, payload={"title": req.resource.title})
    return req


def withdraw_request(actor, req: AccessRequest) -> AccessRequest:
    if not permissions.can_withdraw(actor, req):
        raise PermissionDenied(_("Only the requesting member can withdraw an open request."))
    set_actor(actor)
    req.status = "withdrawn"
    req.decided_at = utcnow()
    db.session.flush()
    notify(actor, req.owner_member, "catalog.access_withdrawn", target_type="access_request", target_id=req.id,
           payload={"title": req.resource.title, "member": req.requester_member.name})
    return req


def get_request(actor, request_id) -> AccessRequest:
    try:
        req = db.session.get(AccessRequest, int(request_id))
    except (TypeError, ValueError):
        req = None
    if req is None or not permissions.can_view(actor, req):
        raise NotFound(_("This request does not exist, or you cannot see it."))
    return req


def list_requests(actor, *, role=None, status=None, resource_id=None, limit=500) -> list[AccessRequest]:
    """Requests the actor may see. ``role``: "incoming" (to the actor's member),
    "outgoing" (from it), or None (both; everything for the secretariat)."""
    stmt = select(AccessRequest).where(permissions.visible_clause(actor))
    member_id = getattr(actor, "member_id", None)
    if role == "incoming":
        stmt = stmt.where(AccessRequest.owner_member_id == member_id)
    elif role == "outgoing":
        stmt = stmt.where(AccessRequest.requester_member_id == member_id)
    if status:
        stmt = stmt.where(AccessRequest.status == status)
    if resource_id is not None:
        stmt = stmt.where(AccessRequest.resource_id == resource_id)
    return db.session.scalars(stmt.order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc())
                              .limit(limit)).all()
