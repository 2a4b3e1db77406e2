"""The scenarios domain's sections of 我的工作台: join requests to decide as a lead,
invitations to answer, the member's replications with their next steps, its groups."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from consortium.core.naming import named
from consortium.members.naming import person_label
from consortium.core.clock import local_datetime, local_today
from consortium.core.weeks import Week
from consortium.auth.permissions import is_signed_in
from consortium.core.signals import DigestSection, WorkspaceItem, WorkspaceSection
from consortium.extensions import db

from .board import is_stalled
from .digest import groups_of, join_approvals, stage_events
from .constants import STAGES, label
from .models import GroupMembership, Invitation, Replication, ScenarioGroup

LIMIT = 20


def _member_id(user):
    return user.member_id if is_signed_in(user) and user.member_id is not None else None


def join_requests(user):
    """Pending requests to join the groups the user's member leads (the secretariat sees all)."""
    if not is_signed_in(user):
        return None
    stmt = (select(GroupMembership).join(ScenarioGroup, ScenarioGroup.id == GroupMembership.group_id)
            .where(GroupMembership.status == "pending").order_by(GroupMembership.requested_at).limit(LIMIT))
    if not user.is_secretariat:
        if user.member_id is None:
            return None
        stmt = stmt.where(ScenarioGroup.lead_member_id == user.member_id)
    return [WorkspaceItem(text=_("%(member)s asks to join %(group)s", member=named(m.member), group=named(m.group)),
                          url=url_for("scenarios.group", group_code=m.group.code) + "#join-requests",
                          detail=m.motivation[:140], when=m.requested_at, action=_("Approve or decline"))
            for m in db.session.scalars(stmt)]


def invitations(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    rows = db.session.scalars(select(Invitation).where(Invitation.member_id == member_id,
                                                       Invitation.status == "pending")
                              .order_by(Invitation.created_at.desc()).limit(LIMIT))
    return [WorkspaceItem(text=_("Invitation to replicate %(scenario)s", scenario=named(i.scenario)),
                          url=url_for("scenarios.invitation", invitation_id=i.id),
                          detail=f"{named(i.scenario.group)} · {person_label(i.invited_by_label)}", when=i.created_at,
                          action=_("Accept or decline"))
            for i in rows]


def _my_replications(member_id):
    return (select(Replication).where(Replication.member_id == member_id, Replication.stage != "withdrawn"))


def replications(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    today = local_today()
    rows = db.session.scalars(_my_replications(member_id)
                              .order_by(Replication.last_event_on, Replication.id).limit(LIMIT))
    items = []
    for r in rows:
        stalled = is_stalled(r.stage, r.last_event_on, r.scenario.group.stall_days, today)
        items.append(WorkspaceItem(
            text=named(r.scenario), url=url_for("scenarios.replication", replication_id=r.id),
            badge=label(STAGES, r.stage),
            detail=_("Next step: %(s)s", s=r.next_step) if r.next_step else _("No next step recorded."),
            when=r.last_event_on,
            flag=_("no event for %(n)d days", n=(today - r.last_event_on).days) if stalled else None))
    return items


def replication_total(user):
    member_id = _member_id(user)
    if member_id is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(_my_replications(member_id).subquery()))


def groups(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    approved = select(GroupMembership.group_id).where(GroupMembership.member_id == member_id,
                                                      GroupMembership.status == "approved")
    rows = db.session.scalars(select(ScenarioGroup).where(or_(ScenarioGroup.lead_member_id == member_id,
                                                              ScenarioGroup.id.in_(approved)))
                              .order_by(ScenarioGroup.id))
    return [WorkspaceItem(text=named(g), url=url_for("scenarios.board", group_code=g.code),
                          badge=_("Lead") if g.lead_member_id == member_id else _("Member"))
            for g in rows]


def _week(start):
    """The digest week whose UTC bounds start at ``start`` (Monday 00:00 Beijing time)."""
    return Week.of(local_datetime(start).date())


def event_item(e) -> WorkspaceItem:
    """One replication event as the digests list it (personal and group alike)."""
    if e.from_stage is None:
        what = _("opened at %(b)s", b=label(STAGES, e.to_stage))
    elif e.is_stage_change:
        what = _("%(a)s → %(b)s", a=label(STAGES, e.from_stage), b=label(STAGES, e.to_stage))
    else:
        what = _("progress note")
    return WorkspaceItem(text=f"{e.scenario} · {e.city}", url=url_for("scenarios.replication",
                                                                        replication_id=e.replication_id),
                         badge=str(what), detail=(e.reason or e.note)[:140], when=e.occurred_on)


def approval_item(a) -> WorkspaceItem:
    return WorkspaceItem(text=_("%(member)s joined %(group)s", member=a.member, group=a.group),
                         url=url_for("scenarios.group", group_code=a.group_code), when=a.approved_on)


def digest_events(user, start, end):
    """The week's stage changes and notes, by the day they occurred, in the user's groups and its
    member's replications."""
    member_id = _member_id(user)
    if member_id is None:
        return []
    return [event_item(e) for e in stage_events(_week(start), group_ids=groups_of(member_id), member_id=member_id)]


def digest_approvals(user, start, end):
    """Join requests approved during the week in the user's groups."""
    member_id = _member_id(user)
    if member_id is None:
        return []
    return [approval_item(a) for a in join_approvals(_week(start), groups_of(member_id))]


def digest_sections(sender, **kwargs):
    yield DigestSection("replications", _l("Replications: stage changes and notes"), digest_events,
                       order=20)
    yield DigestSection("join_approvals", _l("New group members"), digest_approvals, order=25)


def workspace_sections(sender, **kwargs):
    yield WorkspaceSection("join_requests", _l("Join requests to decide"), join_requests,
                           order=10, waiting=True)
    yield WorkspaceSection("invitations", _l("Invitations to answer"), invitations,
                           order=20, waiting=True)
    yield WorkspaceSection("replications", _l("My organisation's replications"), replications,
                           order=60, empty=_l("No replication yet."), total=replication_total)
    yield WorkspaceSection("groups", _l("My groups"), groups, order=70,
                           empty=_l("Not in any scenario group yet."),
                           more=lambda user: (url_for("scenarios.index"), _("All scenario groups")))
