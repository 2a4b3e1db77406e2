"""Who may see and record what in the registers. Bodies, recognition agreements and
data spaces are public; certificates name enterprises and are shown to signed-in
member users and the secretariat only. A body's certificates and agreements are
recorded by the users of the member that operates it and by the secretariat."""
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.catalog.permissions import can_edit


def _of_member(actor, member) -> bool:
    return (member is not None and is_signed_in(actor) and actor.member_id == member.id
            and member.is_active)


def can_view_certificates(actor) -> bool:
    return is_signed_in(actor)


def can_check_recognition(actor) -> bool:
    """The check names a certificate, hence the enterprise holding it."""
    return can_view_certificates(actor)


def can_create_body(actor) -> bool:
    """The secretariat records any body; a member's users a body their member operates."""
    return is_secretariat(actor) or (is_signed_in(actor) and actor.member_id is not None
                                     and actor.member is not None and actor.member.is_active)


def can_operate_body_for(actor, member) -> bool:
    """May ``actor`` name ``member`` (None: no operator) as a body's or a space's operator?"""
    return is_secretariat(actor) or _of_member(actor, member)


def can_manage_body(actor, body) -> bool:
    """Edit the body, record its certificates and the agreements by which it recognises others."""
    return is_secretariat(actor) or _of_member(actor, body.member)


def can_record_recognition(actor, recognising_body, issuing_body, mutual: bool) -> bool:
    """The recognising body's operator (for a mutual agreement: either party's) or the secretariat."""
    return can_manage_body(actor, recognising_body) or (mutual and can_manage_body(actor, issuing_body))


def can_change_recognition(actor, recognition) -> bool:
    """Suspend, resume or revoke: either party's operator, or the secretariat."""
    return can_manage_body(actor, recognition.recognising_body) or can_manage_body(actor, recognition.issuing_body)


def can_create_space(actor) -> bool:
    return can_create_body(actor)


def can_manage_space(actor, space) -> bool:
    return is_secretariat(actor) or _of_member(actor, space.operator)


def can_link_resource(actor, resource) -> bool:
    """Linking an entry to a space is a change of the entry: its editors decide."""
    return is_signed_in(actor) and can_edit(actor, resource)
