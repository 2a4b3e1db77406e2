"""How the scenarios domain's notifications read, and who may still see their targets."""
from flask import url_for
from flask_babel import gettext as _

from consortium.notifications.registry import register_kind, register_target

from . import permissions


def register() -> None:
    register_target("scenario_group", can_see=lambda user, _id: True)  # group pages are public
    register_target("replication", can_see=lambda user, _id: permissions.can_read_replications(user))
    register_kind("scenarios.invitation",
                  message=lambda n: _("%(who)s invites your organisation to replicate %(scenario)s.",
                                      who=n.created_by_label, scenario=n.payload.get("scenario", "")),
                  url=lambda n: url_for("scenarios.replication", replication_id=n.target_id))
    group_url = _group_url
    register_kind("scenarios.join_approved", url=group_url,
                  message=lambda n: _("Your request to join %(group)s was approved.", group=n.payload.get("group", "")))
    register_kind("scenarios.join_declined", url=group_url,
                  message=lambda n: _("Your request to join %(group)s was declined.", group=n.payload.get("group", "")))
    register_kind("scenarios.join_removed", url=group_url,
                  message=lambda n: _("Your organisation was removed from %(group)s.", group=n.payload.get("group", "")))


def _group_url(notification):
    from consortium.extensions import db

    from .models import ScenarioGroup
    group = db.session.get(ScenarioGroup, notification.target_id)
    return url_for("scenarios.group", group_code=group.code) if group is not None else None
