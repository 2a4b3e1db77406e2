"""Who may do what with scenario groups, scenarios and replications.
One function per question; views, the API and list queries all ask these."""
from sqlalchemy import select

from consortium.auth.models import User
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.extensions import db

from .models import GroupMembership, Invitation, ScenarioGroup


def is_lead_of(actor, group) -> bool:
    """The lead grant lives on the group: users of the group's lead member."""
    return is_signed_in(actor) and actor.member_id is not None and actor.member_id == group.lead_member_id


def led_groups(actor):
    if not is_signed_in(actor) or actor.member_id is None:
        return []
    return db.session.scalars(select(ScenarioGroup).where(
        ScenarioGroup.lead_member_id == actor.member_id).order_by(ScenarioGroup.code)).all()


def is_group_lead(actor) -> bool:
    return bool(led_groups(actor))


def _member_user(actor) -> bool:
    return is_signed_in(actor) and actor.member_id is not None and actor.member.is_active


def can_manage_groups(actor) -> bool:
    """Create groups, name the lead, set targets."""
    return is_secretariat(actor)


def can_lead(actor, group) -> bool:
    """Decide join requests, remove members, edit scenarios, invite cities, read the digest."""
    return is_secretariat(actor) or is_lead_of(actor, group)


def can_request_join(actor, group) -> bool:
    return _member_user(actor) and actor.member_id != group.lead_member_id


def can_view_pending(actor, group) -> bool:
    return can_lead(actor, group)


def can_read_replications(actor) -> bool:
    """Every signed-in union user reads city-level progress; visitors see aggregate counts only."""
    return is_signed_in(actor)


def _membership_status(group, member_id):
    return db.session.scalar(select(GroupMembership.status).where(
        GroupMembership.group_id == group.id, GroupMembership.member_id == member_id))


def is_group_member(actor, group) -> bool:
    """An approved member of the group (the lead member always is)."""
    return _member_user(actor) and (actor.member_id == group.lead_member_id
                                    or _membership_status(group, actor.member_id) == "approved")


def has_pending_invitation(scenario, member_id) -> bool:
    """The lead has invited this member to replicate the scenario and it has not answered yet."""
    return db.session.scalar(select(Invitation.id).where(
        Invitation.scenario_id == scenario.id, Invitation.member_id == member_id,
        Invitation.status == "pending").limit(1)) is not None


def was_invited(replication) -> bool:
    """Opened on the lead's invitation (accepted by the member), or for the member by
    someone else (the lead, the secretariat, the system) — not declared by the member itself."""
    if replication.id is not None and db.session.scalar(select(Invitation.id).where(
            Invitation.replication_id == replication.id).limit(1)) is not None:
        return True
    first = replication.events[0] if replication.events else None
    if first is None or first.author_id is None:
        return True
    author = db.session.get(User, first.author_id)
    return author is None or author.member_id != replication.member_id


def can_start_replication(actor, scenario, member) -> bool:
    """Approved group members declare their own interest, and an invited member accepts
    the lead's invitation; the lead and the secretariat may open one for any member."""
    if can_lead(actor, scenario.group):
        return True
    if not _member_user(actor) or actor.member_id != member.id:
        return False
    return is_group_member(actor, scenario.group) or has_pending_invitation(scenario, member.id)


def can_start_some_replication(actor, scenario) -> bool:
    """Whether ``can_start_replication`` can hold for some member: asked before a request's body
    is read, so a caller who may open none is refused (403) before the input is judged."""
    if can_lead(actor, scenario.group):
        return True
    return _member_user(actor) and (is_group_member(actor, scenario.group)
                                    or has_pending_invitation(scenario, actor.member_id))


def can_write_replication(actor, replication) -> bool:
    """The lead and the secretariat; the replicating member's users while their member
    is an approved group member, or when it was invited (and has not been removed)."""
    if can_lead(actor, replication.scenario.group):
        return True
    if not (_member_user(actor) and actor.member_id == replication.member_id):
        return False
    status = _membership_status(replication.scenario.group, actor.member_id)
    if status in ("removed", "declined"):
        return False
    return status == "approved" or was_invited(replication)


def can_answer_invitation(actor, invitation) -> bool:
    """Accept or decline: the invited member's own users."""
    return _member_user(actor) and actor.member_id == invitation.member_id


def can_view_invitation(actor, invitation) -> bool:
    return can_answer_invitation(actor, invitation) or can_lead(actor, invitation.scenario.group)


def can_edit_scenario(actor, group) -> bool:
    return can_lead(actor, group)
