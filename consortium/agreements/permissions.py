"""Who may see, record, change and confirm agreements. One function per question;
views, the API and the list query (``services.visible_clause``) all ask these."""
from consortium.auth.permissions import is_secretariat, is_signed_in


def _member_user(actor) -> bool:
    return is_signed_in(actor) and actor.member_id is not None and actor.member.is_active


def is_party(actor, agreement) -> bool:
    return _member_user(actor) and actor.member_id in agreement.member_ids


def can_view(actor, agreement) -> bool:
    """A draft (not confirmed by every party): its named member parties and the
    secretariat. Confirmed: everyone when public, else the parties and the secretariat."""
    if is_secretariat(actor) or is_party(actor, agreement):
        return True
    return agreement.is_public and not agreement.is_draft


def can_record(actor) -> bool:
    """The secretariat, or a member user recording an agreement its member is party to."""
    return is_secretariat(actor) or _member_user(actor)


def can_edit(actor, agreement) -> bool:
    """A named member party (its change becomes a draft the others confirm) or the secretariat."""
    return is_secretariat(actor) or is_party(actor, agreement)


def can_confirm(actor, agreement) -> bool:
    """A named member party confirms for its member; the secretariat for every party."""
    return is_secretariat(actor) or is_party(actor, agreement)
