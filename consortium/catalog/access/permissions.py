"""Who may ask for, see and decide access requests. Lists and the API filter with
``visible_clause``; a request anyone else asks for is a 404."""
from sqlalchemy import false, or_, true

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.extensions import db

from .models import APPROVED, DELIVERED, EXPIRED, PENDING, REQUESTABLE_OPENNESS, AccessRequest


def _member_user(actor) -> bool:
    return is_signed_in(actor) and actor.member_id is not None and actor.member is not None \
        and actor.member.is_active


def can_request(actor, resource) -> bool:
    """A signed-in user of another active member, for an active entry open on conditions
    or under authorised operation."""
    return (_member_user(actor) and resource.status == "active" and resource.openness in REQUESTABLE_OPENNESS
            and actor.member_id != resource.member_id)


def can_view(actor, request) -> bool:
    if is_secretariat(actor):
        return True
    return is_signed_in(actor) and actor.member_id in (request.requester_member_id, request.owner_member_id)


def can_view_target(actor, request_id) -> bool:
    """For notifications: the request still exists and the user may see it."""
    request = db.session.get(AccessRequest, request_id) if request_id else None
    return request is not None and can_view(actor, request)


def can_decide(actor, request) -> bool:
    """The owning member's users (not the secretariat: the owner grants its own data)."""
    return _member_user(actor) and actor.member_id == request.owner_member_id and request.status == PENDING


def can_withdraw(actor, request) -> bool:
    return _member_user(actor) and actor.member_id == request.requester_member_id and request.status == PENDING


def can_deliver(actor, request) -> bool:
    """The owner's users mark an approved request delivered, while its period runs."""
    return (_member_user(actor) and actor.member_id == request.owner_member_id and request.status == APPROVED
            and request.state() != EXPIRED)


def can_confirm_receipt(actor, request) -> bool:
    """The requester's users confirm that what was delivered arrived."""
    return _member_user(actor) and actor.member_id == request.requester_member_id and request.status == DELIVERED


def visible_clause(actor):
    if is_secretariat(actor):
        return true()
    if not is_signed_in(actor) or actor.member_id is None:
        return false()
    return or_(AccessRequest.requester_member_id == actor.member_id, AccessRequest.owner_member_id == actor.member_id)
