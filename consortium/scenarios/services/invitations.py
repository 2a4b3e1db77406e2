"""Invitations: the lead invites a city from the where-next list; its users accept or decline."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.core.naming import named
from consortium.audit.services import set_actor
from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.notifications.services import notify, refs

from .. import permissions
from ..models import Invitation, Replication
from .common import _label_of, _require, _text, notify_leads
from .replications import replication_of, start_replication


def invite_city(actor, scenario, member, note="") -> Invitation:
    """The lead invites a member city from the where-next list: an invitation its users
    answer (nothing is opened until they accept), and a notification for each of them."""
    _require(permissions.can_lead(actor, scenario.group), _l("Only the group's lead invites cities."))
    if not member.is_active or member.kind != "data_group":
        raise DomainError(_("Only active member data groups of a city can be invited."), field="member")
    if replication_of(scenario, member) is not None:
        raise DomainError(_("%(member)s already replicates this scenario.", member=named(member)), field="member")
    if pending_invitation(scenario, member) is not None:
        raise DomainError(_("%(member)s has already been invited and has not answered yet.", member=named(member)),
                          field="member")
    set_actor(actor)
    invitation = Invitation(scenario=scenario, member=member, status="pending", note=_text(note, 2000),
                            invited_by_id=getattr(actor, "id", None), invited_by_label=_label_of(actor))
    db.session.add(invitation)
    db.session.flush()
    notify(actor, member, "scenarios.invitation", target_type="invitation", target_id=invitation.id,
           payload=refs(scenario=scenario, group=scenario.group), text=invitation.note)
    return invitation


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def pending_invitation(scenario, member) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.scenario_id == scenario.id,
                                                      Invitation.member_id == member.id,
                                                      Invitation.status == "pending"))


def list_invitations(scenario) -> list[Invitation]:
    return db.session.scalars(select(Invitation).where(Invitation.scenario_id == scenario.id)
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()


def invitations_for_member(member_id: int, status="pending", limit=50) -> list[Invitation]:
    return db.session.scalars(select(Invitation).where(Invitation.member_id == member_id,
                                                       Invitation.status == status)
                              .order_by(Invitation.created_at.desc()).limit(limit)).all()


def _answerable(actor, invitation):
    _require(permissions.can_answer_invitation(actor, invitation),
             _l("Only users of the invited organisation answer an invitation."))
    if invitation.status != "pending":
        raise DomainError(_("This invitation has already been answered."))


def accept_invitation(actor, invitation, **fields) -> Replication:
    """Yes: the replication opens at 意向 (with ``fields``, the replication definition's) and
    the lead is told."""
    _answerable(actor, invitation)
    scenario = invitation.scenario
    rep = start_replication(actor, scenario, invitation.member, note=_("Invitation accepted."), **fields)
    invitation.status = "accepted"
    invitation.answered_at = utcnow()
    invitation.answered_by_id = actor.id
    invitation.replication_id = rep.id
    db.session.flush()
    notify_leads(actor, scenario.group, "scenarios.invitation_accepted", target_type="replication",
                 target_id=rep.id, payload=refs(scenario=scenario, member=invitation.member))
    return rep


def decline_invitation(actor, invitation, reason) -> Invitation:
    """No, with a reason the lead reads."""
    _answerable(actor, invitation)
    reason = _text(reason, 2000)
    if not reason:
        raise DomainError(_("Give a reason when declining."), field="reason")
    set_actor(actor)
    invitation.status = "declined"
    invitation.reason = reason
    invitation.answered_at = utcnow()
    invitation.answered_by_id = actor.id
    db.session.flush()
    notify_leads(actor, invitation.scenario.group, "scenarios.invitation_declined", target_type="invitation",
                 target_id=invitation.id, payload=refs(scenario=invitation.scenario, member=invitation.member),
                 text=reason)
    return invitation

