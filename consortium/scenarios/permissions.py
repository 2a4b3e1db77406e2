"""Who may do what with scenario groups, scenarios, replications and agreements.
One function per question; views, the API and list queries all ask these."""
from sqlalchemy import select

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.extensions import db


def is_lead_of(actor, group) -> bool:
    """The lead grant lives on the group: users of the group's lead member."""
    return is_signed_in(actor) and actor.member_id is not None and actor.member_id == group.lead_member_id


def led_groups(actor):
    from .models import ScenarioGroup
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


def can_start_replication(actor, scenario, member) -> bool:
    """A member declares its own interest; the lead and the secretariat may open one for any member."""
    if can_lead(actor, scenario.group):
        return True
    return _member_user(actor) and actor.member_id == member.id


def can_write_replication(actor, replication) -> bool:
    """The replicating member's users, the group's lead, the secretariat."""
    if can_lead(actor, replication.scenario.group):
        return True
    return _member_user(actor) and actor.member_id == replication.member_id


def can_answer_invitation(actor, invitation) -> bool:
    """Accept or decline: the invited member's own users."""
    return _member_user(actor) and actor.member_id == invitation.member_id


def can_view_invitation(actor, invitation) -> bool:
    return can_answer_invitation(actor, invitation) or can_lead(actor, invitation.scenario.group)


def can_edit_scenario(actor, group) -> bool:
    return can_lead(actor, group)


def can_view_agreement(actor, agreement) -> bool:
    if agreement.is_public:
        return True
    if is_secretariat(actor):
        return True
    return is_signed_in(actor) and actor.member_id in agreement.member_ids


def can_record_agreement(actor) -> bool:
    """The secretariat, or a member user recording an agreement its member is party to."""
    return is_secretariat(actor) or _member_user(actor)


def can_edit_agreement(actor, agreement) -> bool:
    return is_secretariat(actor) or (_member_user(actor) and actor.member_id in agreement.member_ids)
