"""The registers' line in 我的工作台 ("waiting for me"): certificates of the user's member —
issued by a registration body it operates, or cited by its own entries — that expire within
30 days, each with its expiry date and a link to the certificate."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_today
from consortium.core.signals import WorkspaceItem, WorkspaceSection

from . import queries

EXPIRY_NOTICE_DAYS = 30


def expiring(user):
    if not is_signed_in(user) or user.member_id is None or user.member is None or not user.member.is_active:
        return None
    today = local_today()
    out = []
    for c in queries.expiring_certificates(user.member_id, today, EXPIRY_NOTICE_DAYS):
        days = (c.valid_until - today).days
        keeper = c.body.member_id == user.member_id
        out.append(WorkspaceItem(
            text=_("Certificate %(number)s (%(product)s) expires on %(day)s", number=c.number,
                   product=c.product_name, day=c.valid_until.isoformat()),
            url=url_for("registers.edit_certificate" if keeper else "registers.certificate", certificate_id=c.id),
            detail=_("Holder: %(holder)s · issued by %(body)s", holder=c.holder_name, body=named(c.body)),
            action=_("Record its renewal or new status") if keeper else _("Renew the registration with its body"),
            due=c.valid_until, flag=_("in %(n)d days", n=days) if days <= 7 else None))
    return out


def workspace_sections(sender, **kwargs):
    yield WorkspaceSection("expiring_certificates", _l("Certificates expiring within 30 days"),
                           expiring, order=35, waiting=True)
