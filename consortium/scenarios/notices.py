"""How the scenarios domain's notifications read, and who may still see their targets."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.extensions import db
from consortium.geo.services import get_city
from consortium.members.services import get_member
from consortium.notifications.registry import Kind, payload_name, sender_of

from . import permissions
from .constants import STAGES, label
from .models import ScenarioGroup
from .services.invitations import get_invitation
from .services.scenarios import get_scenario


def _scenario(n) -> str:
    return payload_name(n, "scenario", get_scenario)


def _group(n) -> str:
    return payload_name(n, "group", lambda i: db.session.get(ScenarioGroup, i))


def _member(n) -> str:
    return payload_name(n, "member", get_member)


def _city(n) -> str:
    return payload_name(n, "city", get_city)


def targets(sender, **kwargs) -> dict:
    """Who may still see each kind of target this domain's notifications point to."""
    return {
        "scenario_group": lambda user, _id: True,  # group pages are public
        "replication": lambda user, _id: permissions.can_read_replications(user),
        "invitation": _can_see_invitation,
    }


def kinds(sender, **kwargs):
    yield Kind("scenarios.invitation", label=_l("Invitation to replicate a scenario"), action="invitations",
               url=_invitation_url,
               message=lambda n: _("%(who)s invites your organisation to replicate %(scenario)s.",
                                      who=sender_of(n), scenario=_scenario(n)))
    yield Kind("scenarios.invitation_accepted", label=_l("Invitation accepted"), action=None,
               url=_replication_url,
               message=lambda n: _("%(member)s accepted the invitation to replicate %(scenario)s.",
                                      member=_member(n), scenario=_scenario(n)))
    yield Kind("scenarios.invitation_declined", label=_l("Invitation declined"), action=None,
               url=_invitation_url,
               message=lambda n: _("%(member)s declined the invitation to replicate %(scenario)s.",
                                      member=_member(n), scenario=_scenario(n)))
    yield Kind("scenarios.stage_changed", label=_l("Replication stage changed"), action=None,
               url=_replication_url,
               message=lambda n: _("%(scenario)s in %(city)s moved from %(a)s to %(b)s.",
                                      scenario=_scenario(n), city=_city(n),
                                      a=label(STAGES, n.payload.get("from")) if n.payload.get("from") else "—",
                                      b=label(STAGES, n.payload.get("to")) if n.payload.get("to") else ""))
    group_url = _group_url
    yield Kind("scenarios.join_requested", label=_l("Request to join a group"), action="join_requests",
               url=group_url,
               message=lambda n: _("%(member)s asks to join %(group)s.", member=_member(n), group=_group(n)))
    yield Kind("scenarios.join_approved", label=_l("Join request approved"), action=None,
               url=group_url,
               message=lambda n: _("Your request to join %(group)s was approved.", group=_group(n)))
    yield Kind("scenarios.join_declined", label=_l("Join request declined"), action=None,
               url=group_url,
               message=lambda n: _("Your request to join %(group)s was declined.", group=_group(n)))
    yield Kind("scenarios.join_removed", label=_l("Removed from a group"), action=None,
               url=group_url,
               message=lambda n: _("Your organisation was removed from %(group)s.", group=_group(n)))


def _can_see_invitation(user, invitation_id):
    invitation = get_invitation(invitation_id) if invitation_id else None
    return invitation is not None and permissions.can_view_invitation(user, invitation)


def _invitation_url(notification):
    return url_for("scenarios.invitation", invitation_id=notification.target_id)


def _replication_url(notification):
    return url_for("scenarios.replication", replication_id=notification.target_id)


def _group_url(notification):
    code = notification.payload.get("group_code")
    if code:  # named when sent: no query per notification
        return url_for("scenarios.group", group_code=code)

    group = db.session.get(ScenarioGroup, notification.target_id)
    return url_for("scenarios.group", group_code=group.code) if group is not None else None
