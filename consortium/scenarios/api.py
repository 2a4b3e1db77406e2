"""JSON API: /api/v1/groups, /api/v1/scenarios, /api/v1/replications.
Visitors get groups, scenarios and aggregate counts; city-level replication
data needs a signed-in user (or bearer token). Writes carry the replication's
``version``; a stale one answers 409."""
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.api import Blueprint, answer_context, first, paginate
from consortium.core.entity import carried, described
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import permissions
from .constants import STAGES
from .schemas import (EventCreate, EventFields, EventList, EventWritten, GroupDetailOut, GroupList, InvitationAccept,
                      InvitationAnswered, InvitationDecline, InvitationList, InvitationQuery, ReplicationFields,
                      ReplicationList, ReplicationOut, ReplicationStart, ReplicationUpdate, ScenarioCreate,
                      ScenarioFields, ScenarioOut, ScenarioPage, ScenarioQuery)
from .services import groups as group_services
from .services import invitations as invitation_services
from .services import replications as replication_services
from .services import scenarios as scenario_services

bp = Blueprint("scenarios_api", __name__, url_prefix="/api/v1",
               description="Scenario groups, seed scenarios, replications and invitations.")


def readers_only(**kwargs) -> dict:
    """A ``core.api.first`` check: replications are for signed-in users (401)."""
    if not permissions.can_read_replications(current_user):
        abort(401)
    return kwargs


@bp.route("/groups")
@bp.response(200, GroupList)
def groups():
    """The scenario groups."""
    return {"items": group_services.list_groups()}


@bp.route("/groups/<group_code>")
@bp.response(200, GroupDetailOut)
def group(group_code):
    """One group, with its members and scenarios."""
    g = group_services.get_group_by_code(group_code)
    if g is None:
        abort(404)
    return g


@bp.route("/scenarios")
@bp.arguments(ScenarioQuery, location="query")
@bp.response(200, ScenarioPage)
def scenarios(query):
    """Seed scenarios (``group``, ``q``; paginated)."""
    group = None
    if query.get("group"):
        group = group_services.get_group_by_code(query["group"])
        if group is None:
            raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="group",
                                value=query["group"]), field="group")
    answer_context().update(viewer=current_user, counts=replication_services.stage_counts(group=group))
    return paginate(scenario_services.list_scenarios(group, q=query.get("q") or None), query)


def _needs(raw):
    return scenario_services.parse_needs("\n".join(
        f"{n.get('label', '')} | {n.get('domain', '')} | {n.get('keyword', '')}" for n in raw))


def lead_of_the_group_named(**kwargs) -> dict:
    """A ``core.api.first`` check for a new scenario: the body names the group, and only its lead
    may add one (403) — refused before the rest of the body is judged."""
    readers_only()
    raw = request.get_json(silent=True)
    if not isinstance(raw, dict):
        raise DomainError(_("Send a JSON object."), field="body")
    code = raw.get("group")
    group = group_services.get_group_by_code(code) if isinstance(code, str) and code else None
    if group is None:
        raise DomainError(_("Unknown group."), field="group")
    if not permissions.can_edit_scenario(current_user, group):
        raise PermissionDenied(_("Only the group's lead adds scenarios."))
    return {**kwargs, "group": group}


@bp.route("/scenarios", methods=["POST"])
@first(lead_of_the_group_named)
@bp.arguments(ScenarioCreate)
@bp.response(201, ScenarioOut)
def create_scenario(body, group):
    """Add a seed scenario to a group you lead."""
    fields = {k: body[k] for k in described(ScenarioFields) if k in body}
    fields["origin_member"] = get_member_by_code(body["origin_member"]) if body.get("origin_member") else None
    fields["links"] = "\n".join(body.get("links", []))
    s = scenario_services.create_scenario(current_user, group, needs=_needs(body.get("needs", [])),
                                          resource_ids=body.get("resource_ids") or [], **fields)
    db.session.commit()
    answer_context()["viewer"] = current_user
    return s


def _scenario(scenario_id):
    s = scenario_services.get_scenario(scenario_id)
    if s is None:
        abort(404)
    return s


def existing_scenario(scenario_id) -> dict:
    return {"s": _scenario(scenario_id)}


@bp.route("/scenarios/<int:scenario_id>")
@first(existing_scenario)
@bp.response(200, ScenarioOut)
def scenario(s):
    """One seed scenario."""
    answer_context().update(viewer=current_user, counts=replication_services.stage_counts([s.id]))
    return s


@bp.route("/scenarios/<int:scenario_id>/replications")
@first(existing_scenario)
@bp.response(200, ReplicationList)
def replications(s):
    """A scenario's replications (city by city for signed-in users; ``items`` null for visitors)."""
    counts = replication_services.stage_counts([s.id]).get(s.id, {})
    items = (replication_services.list_replications(s) if permissions.can_read_replications(current_user)
             else None)
    return {"scenario_id": s.id, "aggregate": {k: counts.get(k, 0) for k in STAGES}, "items": items}


def opening_scenario(scenario_id) -> dict:
    """A ``core.api.first`` check: signed in (401), the scenario exists (404), the caller may open
    a replication of it for the member the body names (403, before the rest of the body is
    judged; the view asks again of the member the schema loaded)."""
    readers_only()
    found = existing_scenario(scenario_id)
    named = (request.get_json(silent=True) or {}) if request.is_json else {}
    code = named.get("member") if isinstance(named, dict) else None
    member = get_member_by_code(code) if isinstance(code, str) and len(code) <= 60 else None
    if not (permissions.can_start_replication(current_user, found["s"], member) if member is not None
            else permissions.can_start_some_replication(current_user, found["s"])):
        raise PermissionDenied(_("You cannot change this replication."))
    return found


@bp.route("/scenarios/<int:scenario_id>/replications", methods=["POST"])
@first(opening_scenario)
@bp.arguments(ReplicationStart)
@bp.response(201, ReplicationOut)
def start_replication(body, s):
    """Open a replication of a scenario in a member's city."""
    member = get_member_by_code(body["member"])
    if member is None:
        raise DomainError(_("Unknown member."), field="member")
    if not permissions.can_start_replication(current_user, s, member):
        raise PermissionDenied(_("You cannot change this replication."))
    rep = replication_services.start_replication(current_user, s, member, note=body.get("note", ""),
                                                 occurred_on=body.get("occurred_on"),
                                                 **{k: body[k] for k in described(ReplicationFields) if k in body})
    db.session.commit()
    return rep


def readable_replication(replication_id) -> dict:
    """A ``core.api.first`` check: signed in (401), the replication exists (404)."""
    readers_only()
    rep = replication_services.get_replication(replication_id)
    if rep is None:
        abort(404)
    return {"rep": rep}


def writable_replication(replication_id) -> dict:
    """…and the caller may write it (403)."""
    found = readable_replication(replication_id)
    if not permissions.can_write_replication(current_user, found["rep"]):
        raise PermissionDenied(_("You cannot change this replication."))
    return found


@bp.route("/replications/<int:replication_id>")
@first(readable_replication)
@bp.response(200, ReplicationOut)
def replication(rep):
    """One replication."""
    return rep


@bp.route("/replications/<int:replication_id>", methods=["PATCH"])
@first(writable_replication)
@bp.arguments(ReplicationUpdate)
@bp.response(200, ReplicationOut)
def update_replication(body, rep):
    """Change owner, next step or blockers (send the version you read)."""
    fields = {k: body[k] for k in described(ReplicationFields) if k in body}
    replication_services.update_replication(current_user, rep, expected_version=body["version"], **fields)
    db.session.commit()
    return rep


@bp.route("/replications/<int:replication_id>/events")
@first(readable_replication)
@bp.response(200, EventList)
def events(rep):
    """A replication's dated events."""
    return {"replication": rep, "items": replication_services.list_events(rep)}


@bp.route("/replications/<int:replication_id>/events", methods=["POST"])
@first(writable_replication)
@bp.arguments(EventCreate)
@bp.response(201, EventWritten)
def add_event(body, rep):
    """A stage change or a progress note (send the version you read)."""
    when = body.get("occurred_on")
    if body.get("to_stage") in (None, "", rep.stage) and body.get("note") and not body.get("reason"):
        event = replication_services.add_progress_note(current_user, rep, body["note"],
                                                       expected_version=body["version"], occurred_on=when)
    else:
        written = carried(EventFields, body, skip=("to_stage", "occurred_on"))
        event = replication_services.change_stage(current_user, rep, body.get("to_stage") or "",
                                                  expected_version=body["version"], occurred_on=when, **written)
    db.session.commit()
    return {"event": event, "replication": rep}


# ---------------------------------------------------------------- invitations

@bp.route("/invitations")
@first(readers_only)
@bp.arguments(InvitationQuery, location="query")
@bp.response(200, InvitationList)
def invitations(query):
    """The invitations addressed to your organisation (``status``: pending by default)."""
    if current_user.member_id is None:
        return {"items": []}
    return {"items": invitation_services.invitations_for_member(current_user.member_id, query["status"])}


def visible_invitation(invitation_id) -> dict:
    readers_only()
    inv = invitation_services.get_invitation(invitation_id)
    if inv is None or not permissions.can_view_invitation(current_user, inv):
        abort(404)
    return {"inv": inv}


@bp.route("/invitations/<int:invitation_id>/accept", methods=["POST"])
@first(visible_invitation)
@bp.arguments(InvitationAccept, required=False)
@bp.response(201, InvitationAnswered)
def accept_invitation(body, inv):
    """Accept an invitation: the replication opens (the body may be left out)."""
    rep = invitation_services.accept_invitation(current_user, inv, **body)
    db.session.commit()
    return {"invitation": inv, "replication": rep}


@bp.route("/invitations/<int:invitation_id>/decline", methods=["POST"])
@first(visible_invitation)
@bp.arguments(InvitationDecline)
@bp.response(200, InvitationAnswered)
def decline_invitation(body, inv):
    """Decline an invitation, with a reason."""
    invitation_services.decline_invitation(current_user, inv, body["reason"])
    db.session.commit()
    return {"invitation": inv}
