"""Who may see, change, run and decide harvest sources: one function per question."""
from sqlalchemy import false, true

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.catalog.permissions import can_edit_for_member

from .models import HarvestSource


def can_view(actor, source) -> bool:
    """The source's member's users and the secretariat (addresses and reports are theirs)."""
    return is_secretariat(actor) or (is_signed_in(actor) and actor.member_id == source.member_id)


def visible_clause(actor):
    if is_secretariat(actor):
        return true()
    if is_signed_in(actor) and actor.member_id is not None:
        return HarvestSource.member_id == actor.member_id
    return false()


def can_manage(actor, source) -> bool:
    """Propose, edit its maps, preview and run: whoever may change the member's entries."""
    return can_edit_for_member(actor, source.member)


def can_propose_for(actor, member) -> bool:
    return can_edit_for_member(actor, member)


def can_decide(actor) -> bool:
    """Approve or refuse a source: the secretariat only."""
    return is_secretariat(actor)
