"""What waits on the secretariat in the harvest: sources to approve or refuse (我的工作台)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core import registry
from consortium.core.registry import WorkspaceItem

from . import permissions, services


def to_decide(user):
    if not permissions.can_decide(user):
        return None
    return [WorkspaceItem(text=_("%(member)s proposes the harvest source %(name)s", member=s.member.name,
                                 name=s.name),
                          url=url_for("harvest.source", source_id=s.id) + "#decision", detail=s.url[:140],
                          when=s.created_at, action=_("Approve or refuse"))
            for s in services.waiting_for_decision()[:20]]


def register(app) -> None:
    registry.add_workspace_section(app, "harvest_sources", _l("Harvest sources to approve"), to_decide, order=16,
                                   waiting=True)
