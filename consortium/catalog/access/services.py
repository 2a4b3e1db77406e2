"""The rules of access requests: asked, answered (an approval grants terms, a period and a way
of delivery), delivered by the owner, received by the requester, reminded before the period
ends. Explicit ``actor``; flush only; the caller commits."""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from consortium.audit.services import set_actor
from consortium.core.clock import local_today, utcnow
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.entity import clean_every, clean_values, row_values
from consortium.extensions import db
from consortium.notifications.services import notify

from . import permissions
from .. import extras
from ..constants import LICENCES
from ..schemas import AccessDecisionFields, AccessGrantFields, AccessRequestFields, AccessStepFields
from .models import APPROVED, DECLINED, DELIVERED, EXPIRED, GRANTED, PENDING, RECEIVED, WITHDRAWN, AccessRequest

REMINDER_DAYS = 7   # the parties are reminded this many days before the period of use ends


def open_request_of(actor, resource) -> AccessRequest | None:
    """The actor's member's pending request for this entry, if any."""
    if getattr(actor, "member_id", None) is None:
        return None
    return db.session.scalar(select(AccessRequest).where(
        AccessRequest.resource_id == resource.id, AccessRequest.requester_member_id == actor.member_id,
        AccessRequest.status == PENDING))


def _notify(actor, recipient, kind, req, **payload):
    notify(actor, recipient, kind, target_type="access_request", target_id=req.id,
           payload={"title": req.resource.title, **payload})


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
                        owner_member_id=resource.member_id, requested_by_id=actor.id, status=PENDING,
                        decision_reason="", **row_values(AccessRequestFields, clean))
    db.session.add(req)
    db.session.flush()
    _notify(actor, resource.member, "catalog.access_requested", req, member=actor.member.name)
    return req


def grant_defaults(actor, req: AccessRequest) -> dict:
    """What the approval form starts from: the entry's licence and usage conditions as the terms,
    the period asked for, the entry's own data space (or its API), and a contact — the entry's
    contact person, else the person approving."""
    r = req.resource
    terms = "\n".join(part for part in (LICENCES.label(r.licence, "zh") if r.licence else "", r.usage_conditions or "")
                      if part)
    spaces = extras.delivery_spaces()
    linked = [space_id for space_id, _name, own in (spaces.choices(r) if spaces else []) if own]
    method = "data_space" if linked else ("api" if r.has_api else "")
    if r.contact_name or r.contact_phone or r.contact_email:
        contact = " · ".join(x for x in (r.contact_name, req.owner_member.name, r.contact_phone, r.contact_email) if x)
    else:
        contact = " · ".join(x for x in (actor.person_label if actor is not None else "", actor.email if actor else "")
                             if x)
    return {"terms": terms, "granted_from": req.period_start or local_today(), "granted_until": req.period_end,
            "delivery_method": method, "delivery_space_id": linked[0] if linked else None,
            "delivery_detail": "", "contact": contact}


def decide_request(actor, req: AccessRequest, *, approve: bool, delivery_space_id=None, **fields) -> AccessRequest:
    """Approve with the fields of ``schemas.AccessGrantFields`` (terms, period, delivery, contact;
    a data space is named by ``delivery_space_id``) and optionally a ``reason`` to the requester;
    decline with a ``reason`` (``schemas.AccessDecisionFields``), which is then required."""
    if not permissions.can_decide(actor, req):
        if req.status != PENDING and permissions.can_view(actor, req):
            raise DomainError(_("This request has already been answered."), field="reason")
        raise PermissionDenied(_("Only the owning member's users can answer this request."))
    decision = {k: fields.pop(k) for k in list(fields) if k in ("reason",)}
    if approve:
        grant = clean_every(AccessGrantFields, fields, messages={
            "terms": _("Write the terms of use."), "granted_until": _("Give the last day of the period of use."),
            "delivery_method": _("Choose how the data is delivered."),
            "contact": _("Give a contact for the requester.")})
        start, end = grant.get("granted_from"), grant["granted_until"]
        if end < local_today():
            raise DomainError(_("The period of use ends in the past."), field="granted_until")
        if start and start > end:
            raise DomainError(_("The period ends before it starts."), field="granted_until")
        space = None
        if grant["delivery_method"] == "data_space":
            spaces = extras.delivery_spaces()
            space = spaces.describe(_space_id(delivery_space_id)) if spaces else None
            if space is None:
                raise DomainError(_("Choose the data space the data is delivered through."), field="delivery_space_id")
        elif grant["delivery_method"] != "data_space" and not grant["delivery_detail"]:
            raise DomainError(_("Say where the API or the file exchange is and how to use it."),
                              field="delivery_detail")
        clean = clean_values(AccessDecisionFields, decision, creating=True)
    else:  # a decline grants nothing: the grant's fields, if sent, are not read
        clean = clean_values(AccessDecisionFields, decision, creating=True, required=("reason",))
    set_actor(actor)
    for name, value in row_values(AccessDecisionFields, clean).items():
        setattr(req, name, value)
    if approve:
        for name, value in grant.items():
            setattr(req, name, value)
        req.delivery_space_id = space["id"] if space else None
    req.status = APPROVED if approve else DECLINED
    req.decided_by_id = actor.id
    req.decided_at = utcnow()
    db.session.flush()
    _notify(actor, req.requester_member, "catalog.access_approved" if approve else "catalog.access_declined", req,
            member=req.owner_member.name)
    return req


def _space_id(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise DomainError(_("Choose the data space the data is delivered through."),
                          field="delivery_space_id") from None


def mark_delivered(actor, req: AccessRequest, **fields) -> AccessRequest:
    """The owner delivered what it granted. ``fields``: ``schemas.AccessStepFields`` (a note)."""
    if not permissions.can_deliver(actor, req):
        if permissions.can_view(actor, req) and req.owner_member_id == getattr(actor, "member_id", None):
            raise DomainError(_("Only an approved request whose period has not ended can be delivered."))
        raise PermissionDenied(_("Only the owning member's users can deliver."))
    note = clean_every(AccessStepFields, fields)["note"]
    set_actor(actor)
    req.status, req.delivered_at, req.delivered_by_id, req.delivery_note = DELIVERED, utcnow(), actor.id, note
    db.session.flush()
    _notify(actor, req.requester_member, "catalog.access_delivered", req, member=req.owner_member.name)
    return req


def confirm_receipt(actor, req: AccessRequest, **fields) -> AccessRequest:
    """The requester confirms it received the data. ``fields``: ``schemas.AccessStepFields``."""
    if not permissions.can_confirm_receipt(actor, req):
        if permissions.can_view(actor, req) and req.requester_member_id == getattr(actor, "member_id", None):
            raise DomainError(_("Receipt is confirmed once the owner has delivered."))
        raise PermissionDenied(_("Only the requesting member's users can confirm receipt."))
    note = clean_every(AccessStepFields, fields)["note"]
    set_actor(actor)
    req.status, req.received_at, req.received_by_id, req.receipt_note = RECEIVED, utcnow(), actor.id, note
    db.session.flush()
    _notify(actor, req.owner_member, "catalog.access_received", req, member=req.requester_member.name)
    return req


def withdraw_request(actor, req: AccessRequest) -> AccessRequest:
    if not permissions.can_withdraw(actor, req):
        raise PermissionDenied(_("Only the requesting member can withdraw an open request."))
    set_actor(actor)
    req.status = WITHDRAWN
    req.decided_at = utcnow()
    db.session.flush()
    _notify(actor, req.owner_member, "catalog.access_withdrawn", req, member=req.requester_member.name)
    return req


def send_expiry_reminders(today: date | None = None, days: int = REMINDER_DAYS) -> int:
    """Remind both parties of every granted request whose period ends within ``days`` (once per
    request). The job engine runs this every day (``tasks``); returns the number of requests reminded."""
    today = today or local_today()
    rows = db.session.scalars(select(AccessRequest).where(
        AccessRequest.status.in_(GRANTED), AccessRequest.granted_until.is_not(None),
        AccessRequest.granted_until >= today, AccessRequest.granted_until <= today + timedelta(days=days),
        AccessRequest.reminded_on.is_(None)).order_by(AccessRequest.id)).all()
    set_actor(None)
    for req in rows:
        req.reminded_on = today
        for party in (req.requester_member, req.owner_member):
            _notify(None, party, "catalog.access_expiring", req, member=req.requester_member.name,
                    until=req.granted_until.isoformat())
    db.session.flush()
    return len(rows)


def get_request(actor, request_id) -> AccessRequest:
    try:
        req = db.session.get(AccessRequest, int(request_id))
    except (TypeError, ValueError):
        req = None
    if req is None or not permissions.can_view(actor, req):
        raise NotFound(_("This request does not exist, or you cannot see it."))
    return req


def _state_clause(state: str, today: date):
    past = and_(AccessRequest.status.in_(GRANTED), AccessRequest.granted_until < today)
    if state == EXPIRED:
        return past
    if state in GRANTED:
        return and_(AccessRequest.status == state,
                    or_(AccessRequest.granted_until.is_(None), AccessRequest.granted_until >= today))
    return AccessRequest.status == state


def list_requests(actor, *, role=None, status=None, resource_id=None, limit=500) -> list[AccessRequest]:
    """Requests the actor may see. ``role``: "incoming" (to the actor's member),
    "outgoing" (from it), or None (both; everything for the secretariat). ``status``: a state as
    shown (``expired`` for a granted request past its period)."""
    stmt = select(AccessRequest).where(permissions.visible_clause(actor))
    member_id = getattr(actor, "member_id", None)
    if role == "incoming":
        stmt = stmt.where(AccessRequest.owner_member_id == member_id)
    elif role == "outgoing":
        stmt = stmt.where(AccessRequest.requester_member_id == member_id)
    if status:
        stmt = stmt.where(_state_clause(status, local_today()))
    if resource_id is not None:
        stmt = stmt.where(AccessRequest.resource_id == resource_id)
    return db.session.scalars(stmt.order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc())
                              .limit(limit)).all()


def waiting_for(member_id: int, status: str, side: str, limit: int = 20) -> list[AccessRequest]:
    """Requests in ``status`` (not expired) on the member's ``side`` ("owner" or "requester"):
    what the inbox lists."""
    column = AccessRequest.owner_member_id if side == "owner" else AccessRequest.requester_member_id
    return db.session.scalars(select(AccessRequest).where(column == member_id,
                                                          _state_clause(status, local_today()))
                              .order_by(AccessRequest.created_at, AccessRequest.id).limit(limit)).all()
