"""How access-request notifications read, and who may still see their targets."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.members.services import get_member
from consortium.notifications.registry import Kind, payload_name, sender_of

from . import permissions


def _url(n):
    return url_for("catalog_access.detail", request_id=n.target_id)


def targets(sender, **kwargs) -> dict:
    """Who may still see each kind of target this domain's notifications point to."""
    return {
        "access_request": permissions.can_view_target,
    }


def kinds(sender, **kwargs):
    p = lambda n, k: n.payload.get(k, "")  # noqa: E731
    who = lambda n: payload_name(n, "member", get_member) or sender_of(n)  # noqa: E731
    yield Kind("catalog.access_requested", label=_l("Access request received"), action="access_requests",
               url=_url, message=lambda n: _("%(member)s asks to use %(title)s.", member=who(n),
                                                title=p(n, "title")))
    yield Kind("catalog.access_approved", label=_l("Access request approved"), action=None, url=_url,
               message=lambda n: _("%(member)s approved your request to use %(title)s.",
                                      member=who(n), title=p(n, "title")))
    yield Kind("catalog.access_declined", label=_l("Access request declined"), action=None, url=_url,
               message=lambda n: _("%(member)s declined your request to use %(title)s.",
                                      member=who(n), title=p(n, "title")))
    yield Kind("catalog.access_withdrawn", label=_l("Access request withdrawn"), action=None, url=_url,
               message=lambda n: _("%(member)s withdrew its request to use %(title)s.",
                                      member=who(n), title=p(n, "title")))
    yield Kind("catalog.access_delivered", label=_l("Data delivered"), action="access_receipts", url=_url,
               message=lambda n: _("%(member)s delivered %(title)s: confirm that you received it.",
                                      member=who(n), title=p(n, "title")))
    yield Kind("catalog.access_received", label=_l("Delivery confirmed"), action=None, url=_url,
               message=lambda n: _("%(member)s confirmed receiving %(title)s.", member=who(n),
                                      title=p(n, "title")))
    yield Kind("catalog.access_expiring", label=_l("Period of use ending"), action=None, url=_url,
               message=lambda n: _("The use of %(title)s by %(member)s ends on %(day)s.", title=p(n, "title"),
                                      member=who(n), day=p(n, "until")))
