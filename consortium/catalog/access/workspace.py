"""What waits on a member in the access requests ("waiting for me" in 我的工作台): requests to
answer (the owner), approved requests to deliver (the owner), deliveries to confirm (the
requester)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.core.signals import WorkspaceItem, WorkspaceSection

from . import services
from .models import APPROVED, DELIVERED, PENDING


def _member_id(user):
    if not is_signed_in(user) or user.member_id is None or user.member is None or not user.member.is_active:
        return None
    return user.member_id


def _link(req):
    return url_for("catalog_access.detail", request_id=req.id)


def to_answer(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    return [WorkspaceItem(text=_("%(member)s asks to use %(title)s", member=named(r.requester_member),
                                 title=r.resource.title),
                          url=_link(r), detail=r.purpose[:140], when=r.created_at,
                          action=_("Approve or decline"), due=r.period_start)
            for r in services.waiting_for(member_id, PENDING, "owner")]


def to_deliver(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    return [WorkspaceItem(text=_("Deliver %(title)s to %(member)s", title=r.resource.title,
                                 member=named(r.requester_member)),
                          url=_link(r) + "#deliver-form", when=r.decided_at, action=_("Mark as delivered"),
                          due=r.granted_from)
            for r in services.waiting_for(member_id, APPROVED, "owner")]


def to_confirm(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    return [WorkspaceItem(text=_("%(member)s delivered %(title)s", member=named(r.owner_member),
                                 title=r.resource.title),
                          url=_link(r) + "#receipt-form", detail=r.delivery_note[:140], when=r.delivered_at,
                          action=_("Confirm receipt"), due=r.granted_until)
            for r in services.waiting_for(member_id, DELIVERED, "requester")]


def workspace_sections(sender, **kwargs):
    yield WorkspaceSection("access_requests", _l("Access requests to answer"), to_answer,
                           order=12, waiting=True)
    yield WorkspaceSection("access_deliveries", _l("Approved access to deliver"), to_deliver,
                           order=13, waiting=True)
    yield WorkspaceSection("access_receipts", _l("Deliveries to confirm"), to_confirm,
                           order=14, waiting=True)
