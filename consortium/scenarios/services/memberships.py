"""Group membership: a member asks to join, the lead approves, declines or removes."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.clock import utcnow
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.notifications.services import notify, refs

from .. import permissions
from ..models import GroupMembership
from ..queries import list_group_members as list_group_members  # re-exported: views read it here
from ..schemas import JoinDecisionFields, MembershipFields
from .common import _require, _text, notify_leads


def membership_of(group, member) -> GroupMembership | None:
    if member is None:
        return None
    return db.session.scalar(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.member_id == member.id))


def get_membership(membership_id: int) -> GroupMembership | None:
    return db.session.get(GroupMembership, membership_id)


def request_join(actor, group, **fields) -> GroupMembership:
    """Ask for the actor's organisation to join; ``fields`` are the request's defined fields
    (``schemas.MembershipFields``: the motivation …), each kept on the membership."""
    _require(permissions.can_request_join(actor, group), _l("Only users of another member can ask to join."))
    set_actor(actor)
    member = actor.member
    existing = membership_of(group, member)
    if existing is not None and existing.status in ("pending", "approved"):
        raise DomainError(_("Your organisation is already a member or has already asked."))
    written = clean_every(MembershipFields, fields)
    if existing is None:
        existing = GroupMembership(group=group, member=member)
        db.session.add(existing)
    for name, value in written.items():
        setattr(existing, name, value)
    existing.status = "pending"
    existing.reason = ""
    existing.requested_at = utcnow()
    existing.decided_at = None
    existing.decided_by_id = None
    db.session.flush()
    notify_leads(actor, group, "scenarios.join_requested", target_type="scenario_group", target_id=group.id,
                 payload={**refs(group=group, member=member), "group_code": group.code}, text=existing.motivation)
    return existing


def decide_join(actor, membership, approve: bool, **fields) -> GroupMembership:
    """Approve or decline a join request; ``fields`` are the answer's defined fields
    (``schemas.JoinDecisionFields``: the reason, required when declining …)."""
    _require(permissions.can_lead(actor, membership.group), _l("Only the group's lead decides on join requests."))
    if membership.status != "pending":
        raise DomainError(_("This request has already been decided."))
    written = clean_every(JoinDecisionFields, fields,
                           required=() if approve else ("reason",),
                           messages={"reason": _("Give a reason when declining.")})
    reason = written["reason"]
    set_actor(actor)
    membership.status = "approved" if approve else "declined"
    for name, value in written.items():
        setattr(membership, name, value)
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id if actor is not None else None
    notify(actor, membership.member, "scenarios.join_approved" if approve else "scenarios.join_declined",
           target_type="scenario_group", target_id=membership.group_id,
           payload={**refs(group=membership.group), "group_code": membership.group.code}, text=reason)
    db.session.flush()
    return membership


def remove_member(actor, membership, reason="") -> GroupMembership:
    _require(permissions.can_lead(actor, membership.group), _l("Only the group's lead removes members."))
    if membership.status != "approved":
        raise DomainError(_("Only current members can be removed."))
    set_actor(actor)
    membership.status = "removed"
    membership.reason = _text(reason, 2000)
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id if actor is not None else None
    notify(actor, membership.member, "scenarios.join_removed", target_type="scenario_group",
           target_id=membership.group_id, payload={**refs(group=membership.group), "group_code": membership.group.code}, text=membership.reason)
    db.session.flush()
    return membership

