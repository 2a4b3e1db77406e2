"""One function per question. Views, the API and list queries all ask these."""
from consortium.core.roles import is_secretariat, is_signed_in  # noqa: F401  (asked here by every domain)


def can_administer_members(actor) -> bool:
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
