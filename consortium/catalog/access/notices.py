"""How access-request notifications read, and who may still see their targets."""
from flask import url_for
from flask_babel import gettext as _

from consortium.notifications.registry import register_kind, register_target

from . import permissions


def _url(n):
    return url_for("catalog_access.detail", request_id=n.target_id)


def register() -> None:
    register_target("access_request", can_see=permissions.can_view_target)
    register_kind("catalog.access_requested", url=_url,
                  message=lambda n: _("%(member)s asks to use %(title)s.", member=n.payload.get("member", ""),
                                      title=n.payload.get("title", "")))
    register_kind("catalog.access_approved", url=_url,
                  message=lambda n: _("Your request to use %(title)s was approved.", title=n.payload.get("title", "")))
    register_kind("catalog.access_declined", url=_url,
                  message=lambda n: _("Your request to use %(title)s was declined.", title=n.payload.get("title", "")))
    register_kind("catalog.access_withdrawn", url=_url,
                  message=lambda n: _("%(member)s withdrew its request to use %(title)s.",
                                      member=n.payload.get("member", ""), title=n.payload.get("title", "")))
