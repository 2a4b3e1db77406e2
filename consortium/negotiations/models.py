"""Joint negotiation dossiers (谈判议题) and the pricing-model register. A position is
stored as numbered, never-overwritten versions; stances and signatures name the
member organisation (one voice per organisation) and the version they were given on."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import Text as TextField
from consortium.core.entity import shown
from consortium.extensions import db

from .constants import (AMENDMENT_STATUSES, DECISION, OUTCOME_RESULTS, PARTICIPANT_STATUSES, PRICING_KINDS, STANCES,
                        STATUSES, label)

dossier_scenarios = Table(
    "dossier_scenarios", db.metadata,
    Column("dossier_id", Integer, ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True),
    Column("scenario_id", Integer, ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True))
dossier_resources = Table(
    "dossier_resources", db.metadata,
    Column("dossier_id", Integer, ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_id", Integer, ForeignKey("data_resources.id", ondelete="CASCADE"), primary_key=True))


class Dossier(db.Model):
    __tablename__ = "dossiers"
    __audited__ = True

    # What the coordinator writes (see consortium.core.entity; the quorum, kept as a fraction, in
    # schemas.DossierFields).
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info=shown(_l("Title"), required=True))
    subject: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("Subject"), max_length=20000, multiline=True, help=_l("What is negotiated, and why together.")))
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("counterparties.id"), index=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="drafting", index=True)
    deadline: Mapped[date | None] = mapped_column(info=shown(_l("Deadline for the common position")))
    quorum_num: Mapped[int] = mapped_column(default=1)   # signatures needed: num/den of the participants
    quorum_den: Mapped[int] = mapped_column(default=1)
    current_version: Mapped[int] = mapped_column(default=0)
    sign_on_version: Mapped[int | None]          # set while (or after) sign-on is called
    sign_on_deadline: Mapped[date | None]
    sign_on_override: Mapped[str] = mapped_column(Text, default="")  # why the sign-on opened on stale stances
    sign_on_reminded_on: Mapped[date | None]      # the reminder before the sign-on deadline was sent
    outcome_summary: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None]
    review_notified_on: Mapped[date | None]
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    counterparty = relationship("Counterparty", lazy="joined")
    coordinator = relationship("Member", lazy="joined")
    participants = relationship("Participant", back_populates="dossier", order_by="Participant.id",
                                cascade="all, delete-orphan")
    events = relationship("DossierEvent", order_by="DossierEvent.id", cascade="all, delete-orphan")
    scenarios = relationship("Scenario", secondary=dossier_scenarios, order_by="Scenario.id")
    resources = relationship("DataResource", secondary=dossier_resources, order_by="DataResource.id")

    @property
    def status_label(self):
        return label(STATUSES, self.status)

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def active_member_ids(self) -> set[int]:
        return {p.member_id for p in self.participants if p.status == "active"}

    @property
    def active_participants(self):
        return [p for p in self.participants if p.status == "active"]

    @property
    def quorum_label(self) -> str:
        return "all" if self.quorum_num == self.quorum_den else f"{self.quorum_num}/{self.quorum_den}"


class DossierEvent(db.Model):
    """One status transition: dated, with its actor and an optional note."""
    __tablename__ = "dossier_events"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="", info=shown(  # the coordinator's, to the participants
        _l("Note"), max_length=5000, multiline=True))
    # the coordinator's reason for going on despite a rule: closing below a red line (breached: the
    # term keys), opening the sign-on on stale stances
    acknowledgement: Mapped[str] = mapped_column(Text, default="")
    breached: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def to_label(self):
        return label(STATUSES, self.to_status)

    @property
    def from_label(self):
        return label(STATUSES, self.from_status)


class Participant(db.Model):
    __tablename__ = "dossier_participants"
    __audited__ = True
    __table_args__ = (UniqueConstraint("dossier_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="invited", index=True)
    reason: Mapped[str] = mapped_column(Text, default="", info=shown(  # given when answering or withdrawn
        _l("Reason"), max_length=5000, multiline=True))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    dossier = relationship("Dossier", back_populates="participants")
    member = relationship("Member", lazy="joined")

    @property
    def status_label(self):
        return label(PARTICIPANT_STATUSES, self.status)

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} · {self.member.name if self.member else self.member_id}"


class PositionVersion(db.Model):
    """One saved common position. ``terms`` is the whole list of terms, each a dict:
    key, label, type, value, rationale, red_line, options."""
    __tablename__ = "position_versions"
    __audited__ = True
    __table_args__ = (UniqueConstraint("dossier_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    terms: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Note"), max_length=5000, multiline=True))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} v{self.number}"

    def term(self, key):
        return next((t for t in self.terms if t["key"] == key), None)


class Amendment(db.Model):
    """A participant's proposed new value for one term (修改建议)."""
    __tablename__ = "amendments"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    term_key: Mapped[str] = mapped_column(String(60))
    base_version: Mapped[int]
    proposed_value: Mapped[dict] = mapped_column(JSON, default=dict)  # {"value": ...}
    reason: Mapped[str] = mapped_column(Text, default="", info=shown(  # checked first: its own message
        _l("Reason"), max_length=5000, required=True, multiline=True))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("Reason"), max_length=5000, multiline=True, metadata=DECISION))
    result_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    member = relationship("Member", lazy="joined")
    dossier = relationship("Dossier")

    @property
    def status_label(self):
        return label(AMENDMENT_STATUSES, self.status)

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} · {self.term_key}"


class Stance(db.Model):
    """A member organisation's stance on one term (``term_key``) or on the whole position
    (``term_key`` empty), given on one version. Rows are never updated: the latest row
    per organisation and term is its current stance, the others are its history."""
    __tablename__ = "stances"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    term_key: Mapped[str] = mapped_column(String(60), default="")
    version: Mapped[int]
    stance: Mapped[str] = mapped_column(String(20), info=shown(
        _l("Stance"), choices=STANCES, required=True, plain=True,
        unknown=_l("Choose support, support with reservations or oppose.")))
    comment: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Comment"), max_length=5000,
                                                                      multiline=True))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("Member")  # pages name organisations from the participants; a meter loads none

    @property
    def stance_label(self):
        return label(STANCES, self.stance)

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} · {self.term_key or '*'}"


class Signature(db.Model):
    """A member organisation's answer to the sign-on (联署) of one version."""
    __tablename__ = "signatures"
    __audited__ = True
    __table_args__ = (UniqueConstraint("dossier_id", "member_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    version: Mapped[int]
    signed: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Comment"), max_length=5000,
                                                                      multiline=True))
    author_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("Member", lazy="joined")

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} v{self.version}"


class TermOutcome(db.Model):
    """What was obtained for one term against what was asked (谈判结果)."""
    __tablename__ = "term_outcomes"
    __audited__ = True
    __table_args__ = (UniqueConstraint("dossier_id", "term_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    term_key: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(String(20))
    obtained: Mapped[str] = mapped_column(Text, default="")

    @property
    def result_label(self):
        return label(OUTCOME_RESULTS, self.result)

    @property
    def audit_label(self) -> str:
        return f"#{self.dossier_id} · {self.term_key}"


class PricingModel(db.Model):
    """A member's pricing or revenue-share rule, as data the engine computes with."""
    __tablename__ = "pricing_models"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), info=shown(_l("Name"), required=True))
    kind: Mapped[str] = mapped_column(String(20), info=shown(
        _l("Kind"), choices=PRICING_KINDS, required=True, plain=True, unknown=_l("Unknown kind of model.")))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    # data (tiers or stages), edited in the form as table rows (pricing.schedule_from_rows)
    schedule: Mapped[dict] = mapped_column(JSON, default=dict, info=shown(
        _l("Schedule"), kind=TextField, max_length=5000, required=True))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Explanation"), max_length=5000,
                                                                          multiline=True))
    source: Mapped[str] = mapped_column(String(300), default="", info=shown(_l("Source")))
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, info=shown(_l("Illustrative (示例)")))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("Member", lazy="joined")

    @property
    def kind_label(self):
        return label(PRICING_KINDS, self.kind)

    @property
    def audit_label(self) -> str:
        return self.name
