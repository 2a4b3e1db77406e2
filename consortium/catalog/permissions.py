"""Who may see and change resource-map entries. Every list, count, facet,
export, chart and API answer filters with ``visible_clause``."""
from sqlalchemy import and_, true

from consortium.auth.permissions import is_secretariat, is_signed_in

from .models import DataResource


def can_see_non_public(actor) -> bool:
    """Every signed-in member user (and the secretariat) sees every member's entries."""
    return is_signed_in(actor)


def visible_clause(actor, include_retired: bool = False):
    """SQL condition for the entries this actor may see."""
    active = true() if include_retired else DataResource.status == "active"
    if can_see_non_public(actor):
        return active
    return and_(active, DataResource.is_public.is_(True))


def can_view(actor, resource) -> bool:
    if resource.status != "active" and not can_edit(actor, resource):
        return False
    return resource.is_public or can_see_non_public(actor)


def can_edit_for_member(actor, member) -> bool:
    """Only the owning member's users and the secretariat create, edit or retire entries."""
    if is_secretariat(actor):
        return True
    return is_signed_in(actor) and actor.member_id == member.id and member.is_active


def can_edit(actor, resource) -> bool:
    return can_edit_for_member(actor, resource.member)
