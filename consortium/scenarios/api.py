"""JSON API: /api/v1/groups, /api/v1/scenarios, /api/v1/replications.
Visitors get groups, scenarios and aggregate counts; city-level replication
data needs a signed-in user (or bearer token). Writes carry the replication's
``version``; a stale one answers 409."""
from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.api import json_object, paginated, parse_body
from consortium.core.entity import carried, described
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.openapi import api_doc
from consortium.core.validation import parse_date
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import permissions
from .services import groups as group_services
from .services import invitations as invitation_services
from .services import replications as replication_services
from .services import scenarios as scenario_services
from .constants import STAGES
from .schemas import (EventCreate, EventFields, EventList, EventOut, EventWritten, GroupDetailOut, GroupList, GroupOut,
                      InvitationAccept, InvitationAnswered, InvitationDecline, InvitationList, InvitationOut,
                      ReplicationFields, ReplicationList, ReplicationOut, ReplicationStart, ReplicationUpdate,
                      ScenarioCreate, ScenarioFields, ScenarioOut, ScenarioPage)

bp = Blueprint("scenarios_api", __name__, url_prefix="/api/v1")


def _require_signed_in():
    if not permissions.can_read_replications(current_user):
        abort(401)


def group_json(group, counts=None) -> dict:
    return GroupOut(counts=counts).dump(group)


def scenario_json(s, counts=None) -> dict:
    return ScenarioOut(viewer=current_user, counts=counts).dump(s)


def replication_json(r) -> dict:
    return ReplicationOut().dump(r)


def event_json(e) -> dict:
    return EventOut().dump(e)


def invitation_json(inv) -> dict:
    return InvitationOut().dump(inv)


@bp.get("/groups")
@api_doc(summary="The scenario groups.", response=GroupList)
def groups():
    return {"items": [group_json(g) for g in group_services.list_groups()]}


@bp.get("/groups/<group_code>")
@api_doc(summary="One group, with its members and scenarios.", response=GroupDetailOut)
def group(group_code):
    g = group_services.get_group_by_code(group_code)
    if g is None:
        abort(404)
    return GroupDetailOut().dump(g)


@bp.get("/scenarios")
@api_doc(summary="Seed scenarios (``group``, ``q``; paginated).", response=ScenarioPage)
def scenarios():
    group = None
    if request.args.get("group"):
        group = group_services.get_group_by_code(request.args["group"])
        if group is None:
            raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="group",
                                value=request.args["group"]), field="group")
    counts = replication_services.stage_counts(group=group)
    return paginated(scenario_services.list_scenarios(group, q=request.args.get("q") or None),
                     lambda s: scenario_json(s, counts))


def _needs(raw):
    if not isinstance(raw, list):
        raise DomainError(_("needs must be a list."), field="needs")
    lines = []
    for n in raw:
        if not isinstance(n, dict):
            raise DomainError(_("needs must be a list."), field="needs")
        lines.append(f"{n.get('label', '')} | {n.get('domain', '')} | {n.get('keyword', '')}")
    return scenario_services.parse_needs("\n".join(lines))


@bp.post("/scenarios")
@api_doc(summary="Add a seed scenario to a group you lead.", body=ScenarioCreate, response=ScenarioOut,
         status=201)
def create_scenario():
    _require_signed_in()
    raw = json_object()
    group = group_services.get_group_by_code(str(raw.get("group", ""))[:60])
    if group is None:
        raise DomainError(_("Unknown group."), field="group")
    if not permissions.can_edit_scenario(current_user, group):  # refused before the body is judged
        raise PermissionDenied(_("Only the group's lead adds scenarios."))
    data = parse_body(ScenarioCreate, data=raw)
    fields = {k: data[k] for k in described(ScenarioFields) if k in data}
    fields["origin_member"] = get_member_by_code(str(data["origin_member"])) if data.get("origin_member") else None
    fields["links"] = "\n".join(map(str, data.get("links", [])))
    s = scenario_services.create_scenario(current_user, group, needs=_needs(data.get("needs", [])),
                                          resource_ids=data.get("resource_ids") or [], **fields)
    db.session.commit()
    return scenario_json(s), 201


def _scenario(scenario_id):
    s = scenario_services.get_scenario(scenario_id)
    if s is None:
        abort(404)
    return s


@bp.get("/scenarios/<int:scenario_id>")
@api_doc(summary="One seed scenario.", response=ScenarioOut)
def scenario(scenario_id):
    s = _scenario(scenario_id)
    return scenario_json(s, replication_services.stage_counts([s.id]))


@bp.get("/scenarios/<int:scenario_id>/replications")
@api_doc(summary="A scenario's replications (city by city for signed-in users).", response=ReplicationList)
def replications(scenario_id):
    s = _scenario(scenario_id)
    counts = replication_services.stage_counts([s.id]).get(s.id, {})
    if not permissions.can_read_replications(current_user):
        return {"scenario_id": s.id, "aggregate": {k: counts.get(k, 0) for k in STAGES}, "items": None}
    return {"scenario_id": s.id, "aggregate": {k: counts.get(k, 0) for k in STAGES},
            "items": [replication_json(r) for r in replication_services.list_replications(s)]}


@bp.post("/scenarios/<int:scenario_id>/replications")
@api_doc(summary="Open a replication of a scenario in a member's city.", body=ReplicationStart,
         response=ReplicationOut, status=201)
def start_replication(scenario_id):
    _require_signed_in()
    s = _scenario(scenario_id)
    raw = json_object()
    member = get_member_by_code(str(raw.get("member", ""))[:60])
    if member is None:
        raise DomainError(_("Unknown member."), field="member")
    if not permissions.can_start_replication(current_user, s, member):  # refused before the body is judged
        raise PermissionDenied(_("You cannot change this replication."))
    data = parse_body(ReplicationStart, data=raw)
    rep = replication_services.start_replication(current_user, s, member, note=str(data.get("note", "")),
                                                 occurred_on=parse_date(data.get("occurred_on"), "occurred_on"),
                                                 **{k: data[k] for k in described(ReplicationFields) if k in data})
    db.session.commit()
    return replication_json(rep), 201


def _replication(replication_id):
    _require_signed_in()
    rep = replication_services.get_replication(replication_id)
    if rep is None:
        abort(404)
    return rep


def _version(data):
    if "version" not in data:
        raise DomainError(_("Send the version you read (optimistic locking)."), field="version")
    return data["version"]


@bp.get("/replications/<int:replication_id>")
@api_doc(summary="One replication.", response=ReplicationOut, auth=True)
def replication(replication_id):
    return replication_json(_replication(replication_id))


def _replication_for_write(replication_id):
    rep = _replication(replication_id)
    if not permissions.can_write_replication(current_user, rep):
        raise PermissionDenied(_("You cannot change this replication."))
    return rep


@bp.patch("/replications/<int:replication_id>")
@api_doc(summary="Change owner, next step or blockers (send the version you read).", body=ReplicationUpdate,
         response=ReplicationOut)
def update_replication(replication_id):
    rep = _replication_for_write(replication_id)
    data = parse_body(ReplicationUpdate)
    fields = {k: data[k] for k in described(ReplicationFields) if k in data}
    replication_services.update_replication(current_user, rep, expected_version=_version(data), **fields)
    db.session.commit()
    return replication_json(rep)


@bp.get("/replications/<int:replication_id>/events")
@api_doc(summary="A replication's dated events.", response=EventList, auth=True)
def events(replication_id):
    rep = _replication(replication_id)
    return {"replication": replication_json(rep), "items": [event_json(e) for e in replication_services.list_events(rep)]}


@bp.post("/replications/<int:replication_id>/events")
@api_doc(summary="A stage change or a progress note (send the version you read).", body=EventCreate,
         response=EventWritten, status=201)
def add_event(replication_id):
    rep = _replication_for_write(replication_id)
    data = parse_body(EventCreate)
    when = parse_date(data.get("occurred_on"), "occurred_on")
    if data.get("to_stage") in (None, "", rep.stage) and data.get("note") and not data.get("reason"):
        event = replication_services.add_progress_note(current_user, rep, str(data["note"]), expected_version=_version(data),
                                           occurred_on=when)
    else:
        written = carried(EventFields, data, skip=("to_stage", "occurred_on"))
        event = replication_services.change_stage(current_user, rep, str(data.get("to_stage", "")),
                                                  expected_version=_version(data), occurred_on=when, **written)
    db.session.commit()
    return {"event": event_json(event), "replication": replication_json(rep)}, 201


# ---------------------------------------------------------------- invitations

@bp.get("/invitations")
@api_doc(summary="The invitations addressed to your organisation (``status``).", response=InvitationList,
         auth=True)
def invitations():
    """The invitations addressed to the caller's organisation (``status``: pending by default)."""
    _require_signed_in()
    if current_user.member_id is None:
        return {"items": []}
    status = request.args.get("status", "pending")
    return {"items": [invitation_json(i) for i in invitation_services.invitations_for_member(current_user.member_id, status)]}


def _invitation(invitation_id):
    _require_signed_in()
    inv = invitation_services.get_invitation(invitation_id)
    if inv is None or not permissions.can_view_invitation(current_user, inv):
        abort(404)
    return inv


@bp.post("/invitations/<int:invitation_id>/accept")
@api_doc(summary="Accept an invitation: the replication opens.", body=InvitationAccept,
         response=InvitationAnswered, status=201)
def accept_invitation(invitation_id):
    inv = _invitation(invitation_id)
    data = parse_body(InvitationAccept, data=request.get_json(silent=True) or {})
    rep = invitation_services.accept_invitation(current_user, inv, **data)
    db.session.commit()
    return {"invitation": invitation_json(inv), "replication": replication_json(rep)}, 201


@bp.post("/invitations/<int:invitation_id>/decline")
@api_doc(summary="Decline an invitation, with a reason.", body=InvitationDecline, response=InvitationAnswered)
def decline_invitation(invitation_id):
    inv = _invitation(invitation_id)
    invitation_services.decline_invitation(current_user, inv, parse_body(InvitationDecline)["reason"])
    db.session.commit()
    return {"invitation": invitation_json(inv)}
