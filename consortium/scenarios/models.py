import re
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.catalog.constants import modes_from_mask
from consortium.core.clock import utcnow
from consortium.core.entity import Count, shown
from consortium.core.exceptions import DomainError
from consortium.core.naming import BilingualName
from consortium.core.requests import check_code
from consortium.extensions import db

from .constants import (DEFAULT_PROMOTABLE_CITIES, DEFAULT_STALL_DAYS, INVITATION_STATUSES, MATURITIES,
                        MEMBERSHIP_STATUSES, STAGES, label)

GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def _group_code(value, name):
    value = value.lower()
    check_code(value)
    if not GROUP_CODE.match(value):
        raise DomainError(_("The code uses lower-case letters, digits and hyphens (2–40)."), field=name)
    return value


def _lines(value, name):
    """One item per line, blank lines dropped."""
    return "\n".join(x.strip() for x in value.splitlines() if x.strip())


class ScenarioGroup(BilingualName, db.Model):
    """A vertical scenario group (垂直场景联合攻坚小组). The lead grant lives here:
    users of the lead member are the group's leads."""

    __tablename__ = "scenario_groups"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # The fields of its form, in their order (see consortium.core.entity; the lead member is
    # chosen in schemas.ScenarioGroupFields).
    code: Mapped[str] = mapped_column(String(40), unique=True, info=shown(
        _l("Code"), required=True, normalise=_group_code, help=_l("Lower-case letters, digits and hyphens, e.g. industry.")))
    name: Mapped[str] = mapped_column(String(120), unique=True, info=shown(_l("Name (Chinese)"), required=True))
    name_en: Mapped[str] = mapped_column(String(160), default="", info=shown(_l("Name (English)")))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(  # the group's purpose
        _l("Purpose"), max_length=5000, multiline=True))
    lead_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # "3–5 promotable solutions by 2026-12-31": target_count promotable scenarios by target_date.
    target_count: Mapped[int | None] = mapped_column(Integer, info=shown(
        _l("Target: promotable solutions"), kind=Count, maximum=1000))
    target_date: Mapped[date | None] = mapped_column(info=shown(_l("Target date")))
    promotable_cities: Mapped[int] = mapped_column(Integer, default=DEFAULT_PROMOTABLE_CITIES, info=shown(  # K
        _l("A scenario is promotable when live in at least this many cities"), kind=Count, maximum=1000,
        required=True, initial=DEFAULT_PROMOTABLE_CITIES))
    stall_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_STALL_DAYS, info=shown(  # N
        _l("Flag a replication as stalled after this many days without an event"), kind=Count, maximum=3650,
        required=True, initial=DEFAULT_STALL_DAYS))
    # 一场景一申请一审批: a replication reaches 试点 only with an approved authorisation application.
    authorisation_before_pilot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                                             info=shown(_l(
        "Scenarios need an approved authorisation application before the pilot stage (one scenario, "
        "one application, one approval)")))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    lead_member = relationship("Member", lazy="joined")
    scenarios = relationship("Scenario", back_populates="group", order_by="Scenario.id")


    @property
    def audit_label(self) -> str:
        return self.name


class GroupMembership(db.Model):
    """A member's place in a group: asked (pending), approved, declined or removed.
    One row per (group, member); the audit trail keeps its history."""

    __tablename__ = "group_memberships"
    __audited__ = True
    __table_args__ = (UniqueConstraint("group_id", "member_id", name="uq_group_memberships_group_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("scenario_groups.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    motivation: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("What your organisation brings"), max_length=2000, multiline=True))
    reason: Mapped[str] = mapped_column(Text, default="", info=shown(  # why declined or removed
        _l("Reason"), part="decision", max_length=2000, multiline=True))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group = relationship("ScenarioGroup", lazy="joined")
    member = relationship("Member", lazy="joined")

    @property
    def status_label(self):
        return label(MEMBERSHIP_STATUSES, self.status)

    @property
    def audit_label(self) -> str:
        return f"{self.member.name if self.member else self.member_id} @ {self.group.name if self.group else ''}"


scenario_resources = Table(
    "scenario_resources", db.metadata,
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_id", ForeignKey("data_resources.id", ondelete="CASCADE"), primary_key=True),
)


class Scenario(BilingualName, db.Model):
    """A seed scenario (种子场景) of a group, to be replicated city by city."""

    __tablename__ = "scenarios"
    bilingual_fields = ("title", "title_en")
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("scenario_groups.id"), index=True)
    # The fields of its form, in their order (see consortium.core.entity; the origin member and
    # the circulation modes are chosen in schemas.ScenarioFields).
    title: Mapped[str] = mapped_column(String(200), info=shown(_l("Title (Chinese)"), required=True))
    title_en: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("Title (English)")))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("Scenario description"), max_length=10000, multiline=True))
    origin_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    circulation_mask: Mapped[int] = mapped_column(default=0)  # modes it works with; 0 = any
    maturity: Mapped[str] = mapped_column(String(20), default="pilot", info=shown(
        _l("Maturity"), choices=MATURITIES, plain=True, unknown=_l("Unknown maturity.")))
    links: Mapped[str] = mapped_column(Text, default="", info=shown(  # documents / links, one per line
        _l("Documents and links (one per line)"), max_length=5000, multiline=True, normalise=_lines))
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    group = relationship("ScenarioGroup", back_populates="scenarios", lazy="joined")
    origin_member = relationship("Member", lazy="joined")
    needs = relationship("ScenarioNeed", back_populates="scenario", order_by="ScenarioNeed.id",
                         cascade="all, delete-orphan")
    resources = relationship("DataResource", secondary=scenario_resources, lazy="selectin",
                             order_by="DataResource.id")

    @property
    def circulation_modes(self) -> list[str]:
        return modes_from_mask(self.circulation_mask or 0)

    @property
    def maturity_label(self):
        return label(MATURITIES, self.maturity)

    @property
    def link_list(self) -> list[str]:
        return [x.strip() for x in (self.links or "").splitlines() if x.strip()]

    @property
    def domains(self) -> list[str]:
        return list(dict.fromkeys(n.domain for n in self.needs))


    @property
    def audit_label(self) -> str:
        return self.title


class ScenarioNeed(db.Model):
    """One kind of data a scenario needs: a domain, a name people recognise
    (医保结算数据) and the word that finds it in resource-map titles."""

    __tablename__ = "scenario_needs"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(120))
    keyword: Mapped[str] = mapped_column(String(60), default="")  # empty: any entry of the domain

    scenario = relationship("Scenario", back_populates="needs")

    @property
    def audit_label(self) -> str:
        return self.label


class Replication(db.Model):
    """One scenario in one city (a member). The stage only changes through
    events; ``version`` guards against lost updates (optimistic locking)."""

    __tablename__ = "replications"
    __audited__ = True
    __table_args__ = (UniqueConstraint("scenario_id", "member_id", name="uq_replications_scenario_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="interest", index=True)
    owner: Mapped[str] = mapped_column(String(120), default="", info=shown(_l("Owner")))
    next_step: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Next step"), max_length=2000,
                                                                        multiline=True))
    blockers: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Blockers"), max_length=2000,
                                                                       multiline=True))
    last_event_on: Mapped[date] = mapped_column(index=True)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    scenario = relationship("Scenario", lazy="joined")
    member = relationship("Member", lazy="joined")
    events = relationship("ReplicationEvent", back_populates="replication",
                          order_by="ReplicationEvent.id")

    @property
    def stage_label(self):
        return label(STAGES, self.stage)

    @property
    def audit_label(self) -> str:
        return f"{self.scenario.title if self.scenario else self.scenario_id} · {self.member.name if self.member else self.member_id}"


class ReplicationEvent(db.Model):
    """A dated stage change (or a progress note when from_stage == to_stage).
    Written once, never updated nor deleted."""

    __tablename__ = "replication_events"
    __audited__ = True
    __table_args__ = (Index("ix_replication_events_replication_occurred", "replication_id", "occurred_on"),
                      Index("ix_replication_events_created_at", "created_at"))  # the weekly digest

    id: Mapped[int] = mapped_column(primary_key=True)
    replication_id: Mapped[int] = mapped_column(ForeignKey("replications.id"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20), index=True, info=shown(
        _l("New stage"), choices=STAGES, required=True, unknown=_l("Unknown stage.")))
    occurred_on: Mapped[date] = mapped_column(index=True, info=shown(_l("Date"), required=True))
    note: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Note"), max_length=2000, multiline=True))
    reason: Mapped[str] = mapped_column(Text, default="", info=shown(  # required when moving backwards
        _l("Reason (required when moving back)"), max_length=2000, multiline=True))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    replication = relationship("Replication", back_populates="events")

    @property
    def is_stage_change(self) -> bool:
        return self.from_stage != self.to_stage

    @property
    def audit_label(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class Invitation(db.Model):
    """The lead's invitation to a member city to replicate a scenario. The invited
    member answers: accepting opens the replication at 意向, declining gives a reason."""

    __tablename__ = "scenario_invitations"
    __audited__ = True
    __table_args__ = (Index("ix_scenario_invitations_member_status", "member_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    note: Mapped[str] = mapped_column(Text, default="")    # the lead's message
    reason: Mapped[str] = mapped_column(Text, default="")  # why declined
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_by_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replication_id: Mapped[int | None] = mapped_column(ForeignKey("replications.id"))

    scenario = relationship("Scenario", lazy="joined")
    member = relationship("Member", lazy="joined")

    @property
    def status_label(self):
        return label(INVITATION_STATUSES, self.status)

    @property
    def audit_label(self) -> str:
        return f"{self.scenario.title if self.scenario else self.scenario_id} → {self.member.name if self.member else self.member_id}"

