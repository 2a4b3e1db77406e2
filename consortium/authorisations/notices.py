"""What the authorisation step shows elsewhere: its notifications, its block on the
replication page and on the board, its lines in the workspace."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, vocabulary
from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_today
from consortium.core.naming import named
from consortium.core.signals import WorkspaceItem
from consortium.geo.services import get_city
from consortium.notifications.registry import Kind, payload_name
from consortium.scenarios.services import get_scenario

from . import permissions, queries, services
from .constants import STATUSES

WORKSPACE_TITLE = _l("Authorisation applications waiting for a decision")


def _names(n) -> dict:
    """The city and the scenario in the reader's language; the authority as written."""
    return {"city": payload_name(n, "city", get_city), "scenario": payload_name(n, "scenario", get_scenario),
            "authority": n.payload.get("authority", "")}


def kinds(sender, **kwargs):
    url = lambda n: url_for("authorisations.replication", replication_id=n.target_id)  # noqa: E731
    yield Kind("authorisations.submitted", label=_l("Authorisation applied for"), action=None, url=url, message=lambda n: _(
        "%(city)s applied to %(authority)s for authorisation of %(scenario)s.",
        **_names(n)))
    yield Kind("authorisations.approved", label=_l("Authorisation approved"), action=None, url=url, message=lambda n: _(
        "%(authority)s approved the authorisation of %(scenario)s in %(city)s.",
        **_names(n)))
    yield Kind("authorisations.rejected", label=_l("Authorisation rejected"), action=None, url=url, message=lambda n: _(
        "%(authority)s rejected the authorisation of %(scenario)s in %(city)s.",
        **_names(n)))


def replication_block(rep, user):
    if not permissions.can_view(user, rep):
        return None
    return {"current": services.current_application(rep), "required": rep.scenario.group.authorisation_before_pilot,
            "writer": permissions.can_write(user, rep)}


def board_block(group, user):
    if not is_signed_in(user):
        return None
    return {"waiting": queries.waiting_in_group(group), "required": group.authorisation_before_pilot}


def workspace_items(user):
    if not is_signed_in(user) or user.member_id is None:
        return None
    today = local_today()
    return [WorkspaceItem(text=f"{named(w.application.replication.scenario)} · {w.application.authority}",
                          url=url_for("authorisations.replication", replication_id=w.application.replication_id),
                          detail=_("waiting for %(n)d days", n=w.days), when=w.application.submitted_on,
                          action=_("Record the authority's decision"),
                          flag=_("waiting for %(n)d days", n=w.days) if w.days > 30 else None)
            for w in queries.waiting_for_member(user.member_id, today)]


def audit_models(sender, **kwargs):
    yield ModelLabels("AuthorisationApplication", _l("Authorisation application"), fields={
        "id": _l("ID"), "replication_id": _l("Replication"), "resources": _l("Data resources requested"),
        "scope": _l("Scope of use"), "authority": _l("Authority deciding"), "reference_no": _l("Reference number"),
        "attachments": _l("Attachments"), "status": _l("Status"), "submitted_on": _l("Submitted on"),
        "decided_on": _l("Decided on"), "withdrawn_on": _l("Withdrawn on"),
        "decision_note": _l("Conditions or reasons"), "created_by_id": _l("Recorded by"),
        "created_at": _l("Created at")}, values={"status": vocabulary(STATUSES)})
