"""JSON API: /api/v1/groups, /api/v1/scenarios, /api/v1/replications.
Visitors get groups, scenarios and aggregate counts; city-level replication
data needs a signed-in user (or bearer token). Writes carry the replication's
``version``; a stale one answers 409."""
from datetime import date

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.api import json_object, paginated, parse_body
from consortium.core.clock import iso_utc
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.openapi import api_doc
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import permissions, services
from .constants import STAGES
from .schemas import (EventCreate, InvitationAccept, InvitationDecline, ReplicationStart, ReplicationUpdate,
                      ScenarioCreate)

bp = Blueprint("scenarios_api", __name__, url_prefix="/api/v1")


def _date(value, field):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Parameter %(name)s must be a date (YYYY-MM-DD).", name=field), field=field) from None


def _require_signed_in():
    if not permissions.can_read_replications(current_user):
        abort(401)


def group_json(group, counts=None) -> dict:
    counts = counts if counts is not None else services.stage_counts(group=group)
    return {"code": group.code, "name": group.name, "name_en": group.name_en, "purpose": group.description,
            "lead": {"code": group.lead_member.code, "name": group.lead_member.name},
            "target_count": group.target_count,
            "target_date": group.target_date.isoformat() if group.target_date else None,
            "promotable_cities": group.promotable_cities, "stall_days": group.stall_days,
            "scenario_count": len(group.scenarios),
            "promotable_scenarios": services.promotable_scenarios(group, counts)}


def scenario_json(s, counts=None) -> dict:
    return {"id": s.id, "group": s.group.code, "title": s.title, "title_en": s.title_en,
            "description": s.description, "origin_member": s.origin_member.code if s.origin_member else None,
            "needs": [{"domain": n.domain, "label": n.label, "keyword": n.keyword} for n in s.needs],
            "resource_ids": [r.id for r in services.visible_resources(current_user, s)], "circulation_modes": s.circulation_modes,
            "maturity": s.maturity, "links": s.link_list, "illustrative": s.is_illustrative,
            "stage_counts": (counts or {}).get(s.id, {})}


def replication_json(r) -> dict:
    return {"id": r.id, "scenario_id": r.scenario_id, "member": r.member.code, "member_name": r.member.name,
            "city": r.member.city.name, "stage": r.stage, "owner": r.owner, "next_step": r.next_step,
            "blockers": r.blockers, "last_event_on": r.last_event_on.isoformat(), "version": r.version,
            "illustrative": r.is_illustrative}


def event_json(e) -> dict:
    return {"id": e.id, "from_stage": e.from_stage, "to_stage": e.to_stage, "occurred_on": e.occurred_on.isoformat(),
            "note": e.note, "reason": e.reason, "author": e.author_label}


@bp.get("/groups")
def groups():
    return {"items": [group_json(g) for g in services.list_groups()]}


@bp.get("/groups/<group_code>")
def group(group_code):
    g = services.get_group_by_code(group_code)
    if g is None:
        abort(404)
    data = group_json(g)
    data["members"] = [{"code": m.member.code, "name": m.member.name} for m in services.list_group_members(g)]
    data["scenarios"] = [{"id": s.id, "title": s.title} for s in g.scenarios]
    return data


@bp.get("/scenarios")
def scenarios():
    group = None
    if request.args.get("group"):
        group = services.get_group_by_code(request.args["group"])
        if group is None:
            raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="group",
                                value=request.args["group"]), field="group")
    counts = services.stage_counts(group=group)
    return paginated(services.list_scenarios(group, q=request.args.get("q") or None),
                     lambda s: scenario_json(s, counts))


def _needs(raw):
    if not isinstance(raw, list):
        raise DomainError(_("needs must be a list."), field="needs")
    lines = []
    for n in raw:
        if not isinstance(n, dict):
            raise DomainError(_("needs must be a list."), field="needs")
        lines.append(f"{n.get('label', '')} | {n.get('domain', '')} | {n.get('keyword', '')}")
    return services.parse_needs("\n".join(lines))


@bp.post("/scenarios")
@api_doc(summary="Add a seed scenario to a group you lead.", body=ScenarioCreate, status=201)
def create_scenario():
    _require_signed_in()
    raw = json_object()
    group = services.get_group_by_code(str(raw.get("group", ""))[:60])
    if group is None:
        raise DomainError(_("Unknown group."), field="group")
    if not permissions.can_edit_scenario(current_user, group):  # refused before the body is judged
        raise PermissionDenied(_("Only the group's lead adds scenarios."))
    data = parse_body(ScenarioCreate, data=raw)
    origin = get_member_by_code(str(data["origin_member"])) if data.get("origin_member") else None
    modes = data.get("circulation_modes") or []
    ids = data.get("resource_ids") or []
    if not isinstance(modes, list) or not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise DomainError(_("circulation_modes and resource_ids must be lists."))
    s = services.create_scenario(current_user, group, title=str(data.get("title", "")),
                                 title_en=str(data.get("title_en", "")), description=str(data.get("description", "")),
                                 origin_member=origin, needs=_needs(data.get("needs", [])), modes=modes,
                                 maturity=str(data.get("maturity", "pilot")), links="\n".join(map(str, data.get("links", []))),
                                 resource_ids=ids)
    db.session.commit()
    return scenario_json(s), 201


def _scenario(scenario_id):
    s = services.get_scenario(scenario_id)
    if s is None:
        abort(404)
    return s


@bp.get("/scenarios/<int:scenario_id>")
def scenario(scenario_id):
    s = _scenario(scenario_id)
    return scenario_json(s, services.stage_counts([s.id]))


@bp.get("/scenarios/<int:scenario_id>/replications")
def replications(scenario_id):
    s = _scenario(scenario_id)
    counts = services.stage_counts([s.id]).get(s.id, {})
    if not permissions.can_read_replications(current_user):
        return {"scenario_id": s.id, "aggregate": {k: counts.get(k, 0) for k in STAGES}, "items": None}
    return {"scenario_id": s.id, "aggregate": {k: counts.get(k, 0) for k in STAGES},
            "items": [replication_json(r) for r in services.list_replications(s)]}


@bp.post("/scenarios/<int:scenario_id>/replications")
@api_doc(summary="Open a replication of a scenario in a member's city.", body=ReplicationStart, status=201)
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
    rep = services.start_replication(current_user, s, member, owner=str(data.get("owner", "")),
                                     next_step=str(data.get("next_step", "")), note=str(data.get("note", "")),
                                     occurred_on=_date(data.get("occurred_on"), "occurred_on"))
    db.session.commit()
    return replication_json(rep), 201


def _replication(replication_id):
    _require_signed_in()
    rep = services.get_replication(replication_id)
    if rep is None:
        abort(404)
    return rep


def _version(data):
    if "version" not in data:
        raise DomainError(_("Send the version you read (optimistic locking)."), field="version")
    return data["version"]


@bp.get("/replications/<int:replication_id>")
def replication(replication_id):
    return replication_json(_replication(replication_id))


def _replication_for_write(replication_id):
    rep = _replication(replication_id)
    if not permissions.can_write_replication(current_user, rep):
        raise PermissionDenied(_("You cannot change this replication."))
    return rep


@bp.patch("/replications/<int:replication_id>")
@api_doc(summary="Change owner, next step or blockers (send the version you read).", body=ReplicationUpdate)
def update_replication(replication_id):
    rep = _replication_for_write(replication_id)
    data = parse_body(ReplicationUpdate)
    fields = {k: str(data[k]) for k in ("owner", "next_step", "blockers") if k in data}
    services.update_replication(current_user, rep, expected_version=_version(data), **fields)
    db.session.commit()
    return replication_json(rep)


@bp.get("/replications/<int:replication_id>/events")
def events(replication_id):
    rep = _replication(replication_id)
    return {"replication": replication_json(rep), "items": [event_json(e) for e in services.list_events(rep)]}


@bp.post("/replications/<int:replication_id>/events")
@api_doc(summary="A stage change or a progress note (send the version you read).", body=EventCreate, status=201)
def add_event(replication_id):
    rep = _replication_for_write(replication_id)
    data = parse_body(EventCreate)
    when = _date(data.get("occurred_on"), "occurred_on")
    if data.get("to_stage") in (None, "", rep.stage) and data.get("note") and not data.get("reason"):
        event = services.add_progress_note(current_user, rep, str(data["note"]), expected_version=_version(data),
                                           occurred_on=when)
    else:
        event = services.change_stage(current_user, rep, str(data.get("to_stage", "")),
                                      expected_version=_version(data), note=str(data.get("note", "")),
                                      reason=str(data.get("reason", "")), occurred_on=when)
    db.session.commit()
    return {"event": event_json(event), "replication": replication_json(rep)}, 201


# ---------------------------------------------------------------- invitations

def invitation_json(inv):
    return {"id": inv.id, "scenario_id": inv.scenario_id, "scenario": inv.scenario.title,
            "group": inv.scenario.group.code, "member": inv.member.code, "status": inv.status,
            "note": inv.note, "reason": inv.reason, "invited_by": inv.invited_by_label,
            "created_at": iso_utc(inv.created_at),
            "answered_at": iso_utc(inv.answered_at),
            "replication_id": inv.replication_id}


@bp.get("/invitations")
def invitations():
    """The invitations addressed to the caller's organisation (``status``: pending by default)."""
    _require_signed_in()
    if current_user.member_id is None:
        return {"items": []}
    status = request.args.get("status", "pending")
    return {"items": [invitation_json(i) for i in services.invitations_for_member(current_user.member_id, status)]}


def _invitation(invitation_id):
    _require_signed_in()
    inv = services.get_invitation(invitation_id)
    if inv is None or not permissions.can_view_invitation(current_user, inv):
        abort(404)
    return inv


@bp.post("/invitations/<int:invitation_id>/accept")
def accept_invitation(invitation_id):
    inv = _invitation(invitation_id)
    data = parse_body(InvitationAccept, data=request.get_json(silent=True) or {})
    rep = services.accept_invitation(current_user, inv, owner=data.get("owner", ""),
                                     next_step=data.get("next_step", ""))
    db.session.commit()
    return {"invitation": invitation_json(inv), "replication": replication_json(rep)}, 201


@bp.post("/invitations/<int:invitation_id>/decline")
def decline_invitation(invitation_id):
    inv = _invitation(invitation_id)
    services.decline_invitation(current_user, inv, parse_body(InvitationDecline)["reason"])
    db.session.commit()
    return {"invitation": invitation_json(inv)}
