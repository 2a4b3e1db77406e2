"""What happened in scenario groups during one week, by the events' own dates: a replication's
stage change or note on the day it occurred (``occurred_on``, not the day it was typed in), a
join request on the day it was approved. The group digest (the lead's) and the personal digest
(/me/digest) both read these two functions, so for the same week they list the same events; names
are in the reader's language (the page's, or the recipient's in the e-mail)."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from consortium.core.clock import local_datetime
from consortium.core.naming import named
from consortium.core.weeks import Week
from consortium.extensions import db
from consortium.geo.models import City
from consortium.members.models import Member

from .models import GroupMembership, Replication, ReplicationEvent, Scenario, ScenarioGroup

LIMIT = 500


@dataclass(frozen=True)
class StageEvent:
    event_id: int
    replication_id: int
    scenario: str
    member: str
    city: str
    from_stage: str | None
    to_stage: str
    is_stage_change: bool
    occurred_on: date
    note: str
    reason: str
    author: str


@dataclass(frozen=True)
class JoinApproval:
    membership_id: int
    group_code: str
    group: str
    member: str
    approved_on: date


def groups_of(member_id: int):
    """The groups a member leads or is an approved member of (a subquery of ids)."""
    approved = select(GroupMembership.group_id).where(GroupMembership.member_id == member_id,
                                                      GroupMembership.status == "approved")
    led = select(ScenarioGroup.id).where(ScenarioGroup.lead_member_id == member_id)
    return approved.union(led)


def stage_events(week: Week, *, group_ids=None, member_id: int | None = None) -> list[StageEvent]:
    """The week's replication events in the groups ``group_ids`` (a list or a subquery), and — with
    ``member_id`` — of that member's own replications, newest first."""
    scope = []
    if group_ids is not None:
        scope.append(Scenario.group_id.in_(group_ids))
    if member_id is not None:
        scope.append(Replication.member_id == member_id)
    rows = db.session.execute(
        select(ReplicationEvent, Replication.id, Scenario, Member, City)
        .join(Replication, Replication.id == ReplicationEvent.replication_id)
        .join(Scenario, Scenario.id == Replication.scenario_id)
        .join(Member, Member.id == Replication.member_id).join(City, City.id == Member.city_id)
        .where(ReplicationEvent.occurred_on >= week.monday, ReplicationEvent.occurred_on <= week.sunday,
               or_(*scope))
        .order_by(ReplicationEvent.occurred_on.desc(), ReplicationEvent.id.desc()).limit(LIMIT)).all()
    return [StageEvent(e.id, rid, named(scenario), named(member), named(city), e.from_stage, e.to_stage,
                       e.is_stage_change, e.occurred_on, e.note, e.reason, e.author_label)
            for e, rid, scenario, member, city in rows]


def join_approvals(week: Week, group_ids) -> list[JoinApproval]:
    """Join requests approved during the week in the groups ``group_ids``, newest first."""
    start, end = week.utc_bounds()
    rows = db.session.execute(
        select(GroupMembership.id, ScenarioGroup, Member, GroupMembership.decided_at)
        .join(ScenarioGroup, ScenarioGroup.id == GroupMembership.group_id)
        .join(Member, Member.id == GroupMembership.member_id)
        .where(GroupMembership.group_id.in_(group_ids), GroupMembership.status == "approved",
               GroupMembership.decided_at >= start, GroupMembership.decided_at < end)
        .order_by(GroupMembership.decided_at.desc(), GroupMembership.id.desc()).limit(LIMIT)).all()
    return [JoinApproval(mid, group.code, named(group), named(member), local_datetime(at).date())
            for mid, group, member, at in rows]
