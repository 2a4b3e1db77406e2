"""The rules of scenario groups, seed scenarios, replications, notifications
and co-operation agreements. Every function takes an explicit ``actor``,
flushes, and raises a domain exception; the caller commits."""
import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from consortium.audit.services import set_actor
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS, mask_from_modes
from consortium.catalog.models import DataResource
from consortium.catalog.permissions import can_view as can_view_resource
from consortium.catalog.permissions import visible_clause
from consortium.core.clock import utcnow
from consortium.core.exceptions import Conflict, DomainError, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version, conflict_message
from consortium.core.requests import check_code
from consortium.extensions import db
from consortium.members.models import Member
from consortium.notifications.services import notify

from . import permissions
from .constants import MATURITIES, STAGE_LINE, STAGES, stage_rank
from .models import (GroupMembership, Invitation, Replication, ReplicationEvent, Scenario, ScenarioGroup,
                     ScenarioNeed)

# ---------------------------------------------------------------- helpers


def _label_of(actor) -> str:
    """Who wrote an event, as stored: the person's name (or e-mail); empty for the system,
    which pages show as 系统 / System in the reader's language."""
    if actor is None:
        return ""
    return actor.name or actor.email


# Checks a stage change must pass, contributed by other domains (the authorisation step):
# guard(replication, to_stage) raises DomainError to refuse.
_STAGE_GUARDS: dict = {}


def add_stage_guard(name: str, guard) -> None:
    _STAGE_GUARDS[name] = guard


def notify_leads(actor, group, kind, **fields):
    """Tell the group's lead member (every one of its users) — unless the lead itself acted, or
    the system did (demo data, scripts: nobody asked anything of the lead)."""
    if actor is None or getattr(actor, "member_id", None) == group.lead_member_id:
        return None
    return notify(actor, group.lead_member, kind, **fields)


def _require(allowed: bool, message=None):
    if not allowed:
        raise PermissionDenied(message or _l("You are not allowed to do this."))


def _flush():
    """Flush, turning a concurrent edit detected by the version column into a Conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(conflict_message()) from None


def _text(value, limit=None) -> str:
    value = (value or "").strip()
    return value[:limit] if limit else value


def _positive(value, field, allow_none=True):
    if value in (None, ""):
        if allow_none:
            return None
        raise DomainError(_("A number is required."), field=field)
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=field) from None
    if value < 1 or value > 10000:
        raise DomainError(_("Enter a number between 1 and 10000."), field=field)
    return value


# ---------------------------------------------------------------- groups

GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def list_groups():
    return db.session.scalars(select(ScenarioGroup).order_by(ScenarioGroup.id)).all()


def get_group_by_code(code: str) -> ScenarioGroup | None:
    return db.session.scalar(select(ScenarioGroup).where(ScenarioGroup.code == code))


def _validate_group(group: ScenarioGroup):
    if not group.name:
        raise DomainError(_("A name is required."), field="name")
    if not GROUP_CODE.match(group.code or ""):
        raise DomainError(_("The code uses lower-case letters, digits and hyphens (2–40)."), field="code")
    if group.lead_member is None or not group.lead_member.is_active:
        raise DomainError(_("Choose an active member as the lead."), field="lead_member")
    for field, value in (("code", group.code), ("name", group.name)):
        clash = db.session.scalar(select(ScenarioGroup.id).where(
            getattr(ScenarioGroup, field) == value, ScenarioGroup.id != (group.id or 0)))
        if clash:
            raise DomainError(_("Another group already uses this."), field=field)


def create_group(actor, *, code, name, lead_member, name_en="", description="", target_count=None,
                 target_date=None, promotable_cities=3, stall_days=60,
                 authorisation_before_pilot=False) -> ScenarioGroup:
    _require(actor is None or permissions.can_manage_groups(actor), _l("Only the secretariat can create groups."))
    set_actor(actor)
    group = ScenarioGroup(code=_text(code).lower(), name=_text(name, 120), name_en=_text(name_en, 160),
                          description=_text(description), lead_member=lead_member,
                          target_count=_positive(target_count, "target_count"), target_date=target_date,
                          promotable_cities=_positive(promotable_cities, "promotable_cities", False),
                          stall_days=_positive(stall_days, "stall_days", False),
                          authorisation_before_pilot=bool(authorisation_before_pilot))
    check_code(group.code)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(actor, group, expected_version=UNCHECKED, **fields) -> ScenarioGroup:
    """The secretariat changes everything; the lead changes purpose, target and thresholds."""
    lead_fields = {"description", "name_en", "target_count", "target_date", "promotable_cities", "stall_days",
                   "authorisation_before_pilot"}
    _require(permissions.can_lead(actor, group))
    check_version(group, expected_version)
    if not permissions.can_manage_groups(actor) and set(fields) - lead_fields:
        raise PermissionDenied(_("Only the secretariat can rename a group or change its lead."))
    set_actor(actor)
    for key, value in fields.items():
        if key in ("target_count",):
            value = _positive(value, key)
        elif key in ("promotable_cities", "stall_days"):
            value = _positive(value, key, False)
        elif isinstance(value, str):
            value = value.strip()
        setattr(group, key, value)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.flush()
    return group


def membership_of(group, member) -> GroupMembership | None:
    if member is None:
        return None
    return db.session.scalar(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.member_id == member.id))


def get_membership(membership_id: int) -> GroupMembership | None:
    return db.session.get(GroupMembership, membership_id)


def list_group_members(group, status="approved"):
    return db.session.scalars(select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.status == status)
        .order_by(GroupMembership.requested_at, GroupMembership.id)).all()


def request_join(actor, group, motivation="") -> GroupMembership:
    _require(permissions.can_request_join(actor, group), _l("Only users of another member can ask to join."))
    set_actor(actor)
    member = actor.member
    existing = membership_of(group, member)
    if existing is not None and existing.status in ("pending", "approved"):
        raise DomainError(_("Your organisation is already a member or has already asked."))
    if existing is None:
        existing = GroupMembership(group=group, member=member)
        db.session.add(existing)
    existing.status = "pending"
    existing.motivation = _text(motivation, 2000)
    existing.reason = ""
    existing.requested_at = utcnow()
    existing.decided_at = None
    existing.decided_by_id = None
    db.session.flush()
    notify_leads(actor, group, "scenarios.join_requested", target_type="scenario_group", target_id=group.id,
                 payload={"group": group.name, "group_code": group.code, "member": member.name}, text=existing.motivation)
    return existing


def decide_join(actor, membership, approve: bool, reason="") -> GroupMembership:
    _require(permissions.can_lead(actor, membership.group), _l("Only the group's lead decides on join requests."))
    if membership.status != "pending":
        raise DomainError(_("This request has already been decided."))
    reason = _text(reason, 2000)
    if not approve and not reason:
        raise DomainError(_("Give a reason when declining."), field="reason")
    set_actor(actor)
    membership.status = "approved" if approve else "declined"
    membership.reason = reason
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id if actor is not None else None
    notify(actor, membership.member, "scenarios.join_approved" if approve else "scenarios.join_declined",
           target_type="scenario_group", target_id=membership.group_id,
           payload={"group": membership.group.name, "group_code": membership.group.code}, text=reason)
    db.session.flush()
    return membership


def remove_member(actor, membership, reason="") -> GroupMembership:
    _require(permissions.can_lead(actor, membership.group), _l("Only the group's lead removes members."))
    if membership.status != "approved":
        raise DomainError(_("Only current members can be removed."))
    set_actor(actor)
    membership.status = "removed"
    membership.reason = _text(reason, 2000)
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id if actor is not None else None
    notify(actor, membership.member, "scenarios.join_removed", target_type="scenario_group",
           target_id=membership.group_id, payload={"group": membership.group.name, "group_code": membership.group.code}, text=membership.reason)
    db.session.flush()
    return membership


# ---------------------------------------------------------------- scenarios

def _domain_code(value: str) -> str | None:
    value = value.strip()
    if value in DOMAINS:
        return value
    return DOMAINS.find(value)


def parse_needs(text: str) -> list[tuple[str, str, str]]:
    """One need per line: ``名称 | 领域 | 关键词`` (keyword optional; defaults to the
    name without a trailing 数据). Raises DomainError naming the bad line."""
    needs = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 2 or not parts[0]:
            raise DomainError(_("Line %(n)d: write 'name | domain | keyword'.", n=number), field="needs")
        domain = _domain_code(parts[1])
        if domain is None:
            raise DomainError(_("Line %(n)d: unknown domain %(d)s.", n=number, d=parts[1]), field="needs")
        keyword = parts[2] if len(parts) > 2 and parts[2] else re.sub(r"数据$", "", parts[0])
        needs.append((domain, parts[0][:120], keyword[:60]))
    return needs


def _domain_need_label(domain: str) -> str:
    return f"{DOMAINS[domain].zh}数据" if domain in DOMAINS else domain


def needs_text(scenario) -> str:
    return "\n".join(f"{n.label} | {DOMAINS.label(n.domain, 'zh')} | {n.keyword}"
                     for n in scenario.needs)


def _resources(actor, ids, scenario=None) -> list[DataResource]:
    """The entries to link: each must be visible to the actor. Entries already linked
    that the actor cannot see (retired since, or of a member they cannot read) stay
    linked untouched: the actor never saw them, so cannot have meant to drop them."""
    ids = sorted({int(i) for i in ids})
    kept = [r for r in (scenario.resources if scenario is not None and scenario.id else [])
            if not can_view_resource(actor, r)]
    if not ids:
        return kept
    found = db.session.scalars(select(DataResource).where(DataResource.id.in_(ids),
                                                          visible_clause(actor))).all()
    if len(found) != len(ids):
        raise DomainError(_("Some resource-map entries do not exist or are not visible to you."),
                          field="resource_ids")
    return list(dict.fromkeys(found + kept))


def visible_resources(actor, scenario) -> list[DataResource]:
    """The linked entries this viewer may see, by the resource map's own rule, at read
    time: a lead may link another member's non-public entry, visitors never see it."""
    return [r for r in scenario.resources if can_view_resource(actor, r)]


def _apply_scenario(actor, scenario, *, title, description, origin_member, needs, modes, maturity,
                    links, title_en="", resource_ids=(), is_illustrative=None):
    title = _text(title, 200)
    if not title:
        raise DomainError(_("A title is required."), field="title")
    if maturity not in MATURITIES:
        raise DomainError(_("Unknown maturity."), field="maturity")
    unknown = [m for m in modes if m not in CIRCULATION_MODES]
    if unknown:
        raise DomainError(_("Unknown circulation mode."), field="modes")
    if origin_member is not None and not origin_member.is_active:
        raise DomainError(_("The origin member is not active."), field="origin_member")
    resources = _resources(actor, resource_ids, scenario)
    if not needs and not resources:
        raise DomainError(_("Name at least one kind of data the scenario needs."), field="needs")
    scenario.title = title
    scenario.title_en = _text(title_en, 200)
    scenario.description = _text(description)
    scenario.origin_member = origin_member
    scenario.circulation_mask = mask_from_modes(modes)
    scenario.maturity = maturity
    scenario.links = "\n".join(x.strip() for x in (links or "").splitlines() if x.strip())
    if is_illustrative is not None:
        scenario.is_illustrative = bool(is_illustrative)
    scenario.resources = resources
    scenario.needs = [ScenarioNeed(domain=d, label=lab, keyword=kw) for d, lab, kw in needs]
    for r in resources:  # a named entry is also a need of its domain; its title is never copied
        if not any(n.domain == r.domain for n in scenario.needs):  # (it may be or become non-public)
            scenario.needs.append(ScenarioNeed(domain=r.domain, label=_domain_need_label(r.domain), keyword=""))


def create_scenario(actor, group, **fields) -> Scenario:
    _require(actor is None or permissions.can_edit_scenario(actor, group),
             _l("Only the group's lead adds scenarios."))
    set_actor(actor)
    scenario = Scenario(group=group)
    with db.session.no_autoflush:
        _apply_scenario(actor, scenario, **fields)
    db.session.add(scenario)
    db.session.flush()
    return scenario


def update_scenario(actor, scenario, expected_version=UNCHECKED, **fields) -> Scenario:
    _require(permissions.can_edit_scenario(actor, scenario.group), _l("Only the group's lead edits scenarios."))
    check_version(scenario, expected_version)
    set_actor(actor)
    with db.session.no_autoflush:
        _apply_scenario(actor, scenario, **fields)
    db.session.flush()
    return scenario


def get_scenario(scenario_id: int) -> Scenario | None:
    return db.session.get(Scenario, scenario_id)


def list_scenarios(group=None, q=None):
    stmt = select(Scenario).order_by(Scenario.group_id, Scenario.id)
    if group is not None:
        stmt = stmt.where(Scenario.group_id == group.id)
    if q:
        stmt = stmt.where(or_(Scenario.title.contains(q, autoescape=True),
                              Scenario.title_en.contains(q, autoescape=True)))
    return stmt


# ---------------------------------------------------------------- replications

def get_replication(replication_id: int) -> Replication | None:
    return db.session.get(Replication, replication_id)


def replication_of(scenario, member) -> Replication | None:
    return db.session.scalar(select(Replication).where(Replication.scenario_id == scenario.id,
                                                       Replication.member_id == member.id))


def list_replications(scenario):
    return db.session.scalars(select(Replication).where(Replication.scenario_id == scenario.id)
                              .join(Replication.member).order_by(Member.name)).all()


def list_events(replication):
    return db.session.scalars(select(ReplicationEvent).where(ReplicationEvent.replication_id == replication.id)
                              .order_by(ReplicationEvent.occurred_on, ReplicationEvent.id)).all()


def _event_date(occurred_on, replication=None) -> date:
    occurred_on = occurred_on or date.today()
    if occurred_on > date.today():
        raise DomainError(_("An event cannot be dated in the future."), field="occurred_on")
    if replication is not None and replication.last_event_on and occurred_on < replication.last_event_on:
        raise DomainError(_("An event cannot be dated before the previous one (%(d)s).",
                            d=replication.last_event_on.isoformat()), field="occurred_on")
    return occurred_on


def start_replication(actor, scenario, member, *, owner="", next_step="", note="", occurred_on=None,
                      is_illustrative=False) -> Replication:
    """Open a replication at the interest stage, with its first event."""
    _require(actor is None or permissions.can_start_replication(actor, scenario, member),
             _l("You may only declare interest for your own organisation."))
    if not member.is_active:
        raise DomainError(_("This member is not active."), field="member")
    if replication_of(scenario, member) is not None:
        raise DomainError(_("%(member)s already replicates this scenario.", member=member.name), field="member")
    set_actor(actor)
    when = _event_date(occurred_on)
    rep = Replication(scenario=scenario, member=member, stage="interest", owner=_text(owner, 120),
                      next_step=_text(next_step), blockers="", last_event_on=when,
                      is_illustrative=is_illustrative)
    db.session.add(rep)
    db.session.add(ReplicationEvent(replication=rep, from_stage=None, to_stage="interest", occurred_on=when,
                                    note=_text(note), author_id=getattr(actor, "id", None),
                                    author_label=_label_of(actor)))
    db.session.flush()
    return rep


def last_line_stage(replication) -> str:
    """The stage on the main line the replication last stood at (for stalled/withdrawn ones)."""
    if replication.stage in STAGE_LINE:
        return replication.stage
    stage = db.session.scalar(select(ReplicationEvent.to_stage).where(
        ReplicationEvent.replication_id == replication.id, ReplicationEvent.to_stage.in_(STAGE_LINE))
        .order_by(ReplicationEvent.occurred_on.desc(), ReplicationEvent.id.desc()).limit(1))
    return stage or "interest"


def is_backwards(replication, to_stage: str) -> bool:
    target = stage_rank(to_stage)
    return target is not None and target < stage_rank(last_line_stage(replication))


def change_stage(actor, replication, to_stage, *, expected_version=UNCHECKED, note="", reason="",
                 occurred_on=None, illustrative=False) -> ReplicationEvent:
    """Move a replication to another stage: a new dated event, never an overwrite.
    Going back along the line (or resuming lower than where it stalled) needs a reason."""
    _require(actor is None or permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    if to_stage not in STAGES:
        raise DomainError(_("Unknown stage."), field="to_stage")
    if to_stage == replication.stage:
        raise DomainError(_("The replication is already at this stage."), field="to_stage")
    reason = _text(reason)
    if is_backwards(replication, to_stage) and not reason:
        raise DomainError(_("Moving back from %(a)s to %(b)s needs a reason.",
                            a=STAGES[last_line_stage(replication)], b=STAGES[to_stage]), field="reason")
    when = _event_date(occurred_on, replication)
    for guard in _STAGE_GUARDS.values():
        guard(replication, to_stage)
    set_actor(actor)
    from_stage = replication.stage
    event = ReplicationEvent(replication=replication, from_stage=from_stage, to_stage=to_stage,
                             occurred_on=when, note=_text(note), reason=reason,
                             author_id=getattr(actor, "id", None), author_label=_label_of(actor))
    db.session.add(event)
    replication.stage = to_stage
    replication.last_event_on = when
    _flush()
    notify_leads(actor, replication.scenario.group, "scenarios.stage_changed", target_type="replication",
                 target_id=replication.id, payload={"scenario": replication.scenario.title,
                                                    "city": replication.member.city.name,
                                                    "from": from_stage, "to": to_stage},
                 text=reason or _text(note))
    return event


def withdraw_replication(actor, replication, reason, *, expected_version=UNCHECKED, occurred_on=None):
    """退出: the city stops replicating the scenario; the reason is required and kept in the history."""
    if not _text(reason):
        raise DomainError(_("Give a reason for withdrawing."), field="reason")
    if replication.stage == "withdrawn":
        raise DomainError(_("This replication is already withdrawn."))
    return change_stage(actor, replication, "withdrawn", expected_version=expected_version, reason=reason,
                        occurred_on=occurred_on)


def add_progress_note(actor, replication, note, *, expected_version=UNCHECKED, occurred_on=None) -> ReplicationEvent:
    """A dated note without a stage change (keeps the replication from looking stalled)."""
    _require(permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    note = _text(note)
    if not note:
        raise DomainError(_("Write a note."), field="note")
    when = _event_date(occurred_on, replication)
    set_actor(actor)
    event = ReplicationEvent(replication=replication, from_stage=replication.stage, to_stage=replication.stage,
                             occurred_on=when, note=note, author_id=actor.id, author_label=_label_of(actor))
    db.session.add(event)
    replication.last_event_on = when
    _flush()
    return event


def update_replication(actor, replication, *, expected_version=UNCHECKED, owner=None, next_step=None,
                       blockers=None) -> Replication:
    """Owner, next step and blockers; the stage only changes through change_stage."""
    _require(permissions.can_write_replication(actor, replication))
    check_version(replication, expected_version)
    set_actor(actor)
    if owner is not None:
        replication.owner = _text(owner, 120)
    if next_step is not None:
        replication.next_step = _text(next_step)
    if blockers is not None:
        replication.blockers = _text(blockers)
    _flush()
    return replication


def stage_counts(scenario_ids=None, group=None) -> dict[int, dict[str, int]]:
    """Aggregate counts per scenario and stage: the only replication figures visitors see."""
    stmt = (select(Replication.scenario_id, Replication.stage, func.count(Replication.id))
            .group_by(Replication.scenario_id, Replication.stage))
    if group is not None:
        stmt = stmt.join(Scenario, Scenario.id == Replication.scenario_id).where(Scenario.group_id == group.id)
    if scenario_ids is not None:
        stmt = stmt.where(Replication.scenario_id.in_(list(scenario_ids)))
    out: dict[int, dict[str, int]] = {}
    for sid, stage, n in db.session.execute(stmt):
        out.setdefault(sid, {})[stage] = n
    return out


def promotable_scenarios(group, counts=None) -> list[int]:
    """Scenario ids live in at least K cities (K = group.promotable_cities)."""
    counts = counts if counts is not None else stage_counts(group=group)
    k = group.promotable_cities or 3
    return [sid for sid, by_stage in counts.items() if by_stage.get("live", 0) >= k]


def invite_city(actor, scenario, member, note="") -> Invitation:
    """The lead invites a member city from the where-next list: an invitation its users
    answer (nothing is opened until they accept), and a notification for each of them."""
    _require(permissions.can_lead(actor, scenario.group), _l("Only the group's lead invites cities."))
    if not member.is_active or member.kind != "data_group":
        raise DomainError(_("Only active member data groups of a city can be invited."), field="member")
    if replication_of(scenario, member) is not None:
        raise DomainError(_("%(member)s already replicates this scenario.", member=member.name), field="member")
    if pending_invitation(scenario, member) is not None:
        raise DomainError(_("%(member)s has already been invited and has not answered yet.", member=member.name),
                          field="member")
    set_actor(actor)
    invitation = Invitation(scenario=scenario, member=member, status="pending", note=_text(note, 2000),
                            invited_by_id=getattr(actor, "id", None), invited_by_label=_label_of(actor))
    db.session.add(invitation)
    db.session.flush()
    notify(actor, member, "scenarios.invitation", target_type="invitation", target_id=invitation.id,
           payload={"scenario": scenario.title, "group": scenario.group.name}, text=invitation.note)
    return invitation


def get_invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def pending_invitation(scenario, member) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.scenario_id == scenario.id,
                                                      Invitation.member_id == member.id,
                                                      Invitation.status == "pending"))


def list_invitations(scenario) -> list[Invitation]:
    return db.session.scalars(select(Invitation).where(Invitation.scenario_id == scenario.id)
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()


def invitations_for_member(member_id: int, status="pending", limit=50) -> list[Invitation]:
    return db.session.scalars(select(Invitation).where(Invitation.member_id == member_id,
                                                       Invitation.status == status)
                              .order_by(Invitation.created_at.desc()).limit(limit)).all()


def _answerable(actor, invitation):
    _require(permissions.can_answer_invitation(actor, invitation),
             _l("Only users of the invited organisation answer an invitation."))
    if invitation.status != "pending":
        raise DomainError(_("This invitation has already been answered."))


def accept_invitation(actor, invitation, *, owner="", next_step="") -> Replication:
    """Yes: the replication opens at 意向 and the lead is told."""
    _answerable(actor, invitation)
    scenario = invitation.scenario
    rep = start_replication(actor, scenario, invitation.member, owner=owner, next_step=next_step,
                            note=_("Invitation accepted."))
    invitation.status = "accepted"
    invitation.answered_at = utcnow()
    invitation.answered_by_id = actor.id
    invitation.replication_id = rep.id
    db.session.flush()
    notify_leads(actor, scenario.group, "scenarios.invitation_accepted", target_type="replication",
                 target_id=rep.id, payload={"scenario": scenario.title, "member": invitation.member.name})
    return rep


def decline_invitation(actor, invitation, reason) -> Invitation:
    """No, with a reason the lead reads."""
    _answerable(actor, invitation)
    reason = _text(reason, 2000)
    if not reason:
        raise DomainError(_("Give a reason when declining."), field="reason")
    set_actor(actor)
    invitation.status = "declined"
    invitation.reason = reason
    invitation.answered_at = utcnow()
    invitation.answered_by_id = actor.id
    db.session.flush()
    notify_leads(actor, invitation.scenario.group, "scenarios.invitation_declined", target_type="invitation",
                 target_id=invitation.id, payload={"scenario": invitation.scenario.title,
                                                   "member": invitation.member.name}, text=reason)
    return invitation


# ---------------------------------------------------------------- members

def list_active_members(kind=None):
    stmt = select(Member).where(Member.status == "active").order_by(Member.name)
    if kind:
        stmt = stmt.where(Member.kind == kind)
    return db.session.scalars(stmt).all()
