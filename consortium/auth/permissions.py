"""One function per question. Views, the API and list queries all ask these."""
from sqlalchemy import select

from consortium.extensions import db


def is_signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def is_secretariat(actor) -> bool:
    return is_signed_in(actor) and actor.is_secretariat


def can_administer_members(actor) -> bool:
    return is_secretariat(actor)


def can_view_audit_log(actor) -> bool:
    return is_secretariat(actor)


def can_view_member(actor, member) -> bool:
    """Active members are public; a suspended one only to the secretariat and its own users."""
    if member.is_active:
        return True
    return is_secretariat(actor) or (is_signed_in(actor) and actor.member_id == member.id)


def can_view_member_users(actor, member) -> bool:
    """Staff lists (e-mail addresses) are not public."""
    return is_secretariat(actor) or (is_signed_in(actor) and actor.member_id == member.id)


def can_manage_tokens(actor, user) -> bool:
    return is_signed_in(actor) and (actor.id == user.id or actor.is_secretariat)


def is_lead_of(actor, group) -> bool:
    """The lead grant lives on the group: users of the group's lead member."""
    return is_signed_in(actor) and actor.member_id is not None and actor.member_id == group.lead_member_id


def led_groups(actor):
    from consortium.scenarios.models import ScenarioGroup
    if not is_signed_in(actor) or actor.member_id is None:
        return []
    return db.session.scalars(select(ScenarioGroup).where(
        ScenarioGroup.lead_member_id == actor.member_id).order_by(ScenarioGroup.code)).all()


def is_group_lead(actor) -> bool:
    return bool(led_groups(actor))
