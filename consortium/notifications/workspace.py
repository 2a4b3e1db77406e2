"""Notifications in 我的工作台 (the latest few) and in the weekly digest (the week's)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_signed_in
from consortium.core.signals import DigestSection, WorkspaceItem, WorkspaceSection

from . import services
from .registry import detail_of, message_of, url_of


def _item(n):
    return WorkspaceItem(text=message_of(n), url=url_for("notifications.open_target", notification_id=n.id)
                         if url_of(n) else None, detail=detail_of(n)[:140], when=n.created_at,
                         badge=None if n.read_at else _("unread"))


def recent_items(user):
    if not is_signed_in(user) or user.member_id is None:
        return None
    return [_item(n) for n in services.recent(user, 5)]


def digest_items(user, start, end):
    return [_item(n) for n in services.in_period(user, start, end)]


def workspace_sections(sender, **kwargs):
    return WorkspaceSection("notifications", _l("Recent notifications"), recent_items, order=80,
                            empty=_l("No notifications."),
                            more=lambda user: (url_for("notifications.index"), _("All notifications")))


def digest_sections(sender, **kwargs):
    return DigestSection("notifications", _l("Notifications"), digest_items, order=10)
