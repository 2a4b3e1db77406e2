"""How the scenarios domain's audit rows read. A field of a definition (``schemas``) that is
not named here reads with its definition's label (and its vocabulary's labels)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of, vocabulary
from consortium.members.models import Member

from .constants import INVITATION_STATUSES, MATURITIES, MEMBERSHIP_STATUSES, STAGES
from .models import Scenario, ScenarioGroup
from .schemas import ReplicationFields, ScenarioFields, ScenarioGroupFields


def models(sender, **kwargs):
    member, group, scenario = name_of(Member), name_of(ScenarioGroup), name_of(Scenario, "title")
    common = {"id": _l("ID"), "created_at": _l("Created at")}
    group_fields, group_values = defined(ScenarioGroupFields)
    scenario_fields, scenario_values = defined(ScenarioFields)
    replication_fields, replication_values = defined(ReplicationFields)
    yield ModelLabels("ScenarioGroup", _l("Scenario group"), fields={
        **group_fields, **common, "code": _l("Code"), "name": _l("Name (Chinese)"), "name_en": _l("Name (English)"),
        "description": _l("Purpose"), "lead_member_id": _l("Lead member"),
        "target_count": _l("Target: promotable solutions"), "target_date": _l("Target date"),
        "promotable_cities": _l("Cities live for a promotable scenario"),
        "stall_days": _l("Days without an event before a replication is flagged"),
        "authorisation_before_pilot": _l("Authorisation required before the pilot stage"), "version": _l("Version")},
        values={**group_values, "lead_member_id": member})
    yield ModelLabels("GroupMembership", _l("Group membership"), fields={
        **common, "group_id": _l("Group"), "member_id": _l("Member"), "status": _l("Status"),
        "motivation": _l("Motivation"), "reason": _l("Reason"), "requested_at": _l("Requested at"),
        "decided_at": _l("Decided at"), "decided_by_id": _l("Decided by")},
        values={"status": vocabulary(MEMBERSHIP_STATUSES), "group_id": group, "member_id": member})
    yield ModelLabels("Scenario", _l("Seed scenario"), fields={
        **scenario_fields, **common, "group_id": _l("Group"), "title": _l("Title (Chinese)"), "title_en": _l("Title (English)"),
        "description": _l("Description"), "origin_member_id": _l("Origin member"),
        "circulation_mask": _l("Circulation modes"), "maturity": _l("Maturity"), "links": _l("Links"),
        "is_illustrative": _l("Illustrative"), "version": _l("Version")},
        values={**scenario_values, "maturity": vocabulary(MATURITIES), "group_id": group, "origin_member_id": member})
    yield ModelLabels("ScenarioNeed", _l("Data a scenario needs"), fields={
        "id": _l("ID"), "scenario_id": _l("Seed scenario"), "domain": _l("Domain"), "label": _l("Name"),
        "keyword": _l("Keyword")}, values={"scenario_id": scenario})
    yield ModelLabels("Replication", _l("Replication"), fields={
        **replication_fields, **common, "scenario_id": _l("Seed scenario"), "member_id": _l("City (member)"), "stage": _l("Stage"),
        "owner": _l("Owner"), "next_step": _l("Next step"), "blockers": _l("Blockers"),
        "last_event_on": _l("Last event"), "is_illustrative": _l("Illustrative"), "version": _l("Version")},
        values={**replication_values, "stage": vocabulary(STAGES), "scenario_id": scenario, "member_id": member})
    yield ModelLabels("ReplicationEvent", _l("Replication event"), fields={
        **common, "replication_id": _l("Replication"), "from_stage": _l("From stage"), "to_stage": _l("To stage"),
        "occurred_on": _l("Date"), "note": _l("Note"), "reason": _l("Reason"), "author_id": _l("Author"),
        "author_label": _l("Author")},
        values={"from_stage": vocabulary(STAGES), "to_stage": vocabulary(STAGES)})
    yield ModelLabels("Invitation", _l("Invitation"), fields={
        **common, "scenario_id": _l("Seed scenario"), "member_id": _l("Invited member"), "status": _l("Status"),
        "note": _l("Message"), "reason": _l("Reason"), "invited_by_id": _l("Invited by"),
        "invited_by_label": _l("Invited by"), "answered_at": _l("Answered at"), "answered_by_id": _l("Answered by"),
        "replication_id": _l("Replication")},
        values={"status": vocabulary(INVITATION_STATUSES), "scenario_id": scenario, "member_id": member})
