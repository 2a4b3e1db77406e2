"""What waits on the secretariat in the harvest: sources to approve or refuse (我的工作台)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.core.signals import WorkspaceItem, WorkspaceSection

from . import permissions, services
from .constants import KINDS, SOURCE_STATES


def to_decide(user):
    if not permissions.can_decide(user):
        return None
    return [WorkspaceItem(text=_("%(member)s proposes the harvest source %(name)s", member=named(s.member),
                                 name=s.name),
                          url=url_for("harvest.source", source_id=s.id) + "#decision", detail=s.url[:140],
                          when=s.created_at, action=_("Approve or refuse"))
            for s in services.waiting_for_decision()[:20]]


def mine(user):
    """A member's own sources, with their state and last successful run (for information)."""
    if not is_signed_in(user) or user.member_id is None:
        return None
    return [WorkspaceItem(text=s.name, url=url_for("harvest.source", source_id=s.id), detail=str(KINDS[s.kind]),
                          when=s.last_success_at, badge=str(SOURCE_STATES[s.state]))
            for s in services.list_sources(user)[:10]]


def _more(user):
    if not is_signed_in(user) or user.member_id is None:
        return None
    return url_for("harvest.index"), _("Register a source or open one")


def workspace_sections(sender, **kwargs):
    yield WorkspaceSection("harvest_sources_mine", _l("My organisation's harvest sources"), mine,
                           order=55, empty=_l("No harvest source yet: your own platform can feed your "
                                              "entries."), more=_more)
    yield WorkspaceSection("harvest_sources", _l("Harvest sources to approve"), to_decide, order=16,
                           waiting=True)
