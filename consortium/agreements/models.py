from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import shown
from consortium.extensions import db

from .constants import AGREEMENT_STATUSES

agreement_scenarios = Table(
    "agreement_scenarios", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
)


def _lines(value, name):
    """Links, one per line: blank lines and surrounding spaces dropped."""
    return "\n".join(x.strip() for x in value.splitlines() if x.strip())


class Agreement(db.Model):
    """A co-operation agreement (签约合作) between members, possibly with counterparties.
    It is a draft — seen only by its named member parties and the secretariat — until
    every party has confirmed its current content (see services.confirm_agreement)."""

    __tablename__ = "agreements"
    __audited__ = True

    # The fields its parties write, in the order of the form (see consortium.core.entity).
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), info=shown(_l("Subject"), required=True))
    signed_on: Mapped[date | None] = mapped_column(info=shown(_l("Signed on"),
                                                              metadata={"description": "YYYY-MM-DD"}))
    status: Mapped[str] = mapped_column(String(20), default="signed", index=True,
                                        info=shown(_l("Status"), choices=AGREEMENT_STATUSES, required=True,
                                                   plain=True, unknown=_l("Unknown status.")))
    description: Mapped[str] = mapped_column(Text, default="",
                                             info=shown(_l("Description"), max_length=5000, multiline=True))
    documents: Mapped[str] = mapped_column(Text, default="",  # links, one per line
                                           info=shown(_l("Documents (links, one per line)"), max_length=5000,
                                                      multiline=True, normalise=_lines,
                                                      metadata={"description": "one link per line"}))
    is_public: Mapped[bool] = mapped_column(Boolean, default=True, info=shown(
        _l("Public (visible to visitors once every party has confirmed)")))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    parties = relationship("AgreementParty", back_populates="agreement", cascade="all, delete-orphan",
                           order_by="AgreementParty.id", lazy="selectin")
    scenarios = relationship("Scenario", secondary=agreement_scenarios, lazy="selectin", order_by="Scenario.id")

    @property
    def status_label(self):
        return AGREEMENT_STATUSES.label(self.status, get_locale())

    @property
    def document_list(self) -> list[str]:
        return [x.strip() for x in (self.documents or "").splitlines() if x.strip()]

    @property
    def member_ids(self) -> set[int]:
        return {p.member_key for p in self.parties if p.member_key}

    @property
    def is_draft(self) -> bool:
        """Some party has not confirmed the current content yet."""
        return any(p.confirmed_at is None for p in self.parties)

    @property
    def audit_label(self) -> str:
        return self.subject


class AgreementParty(db.Model):
    """A party to an agreement: a member or a counterparty (never both), and whether it
    confirmed the agreement as it stands (a counterparty, which never signs in, is
    confirmed by the secretariat)."""

    __tablename__ = "agreement_parties"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    counterparty_id: Mapped[int | None] = mapped_column(ForeignKey("counterparties.id"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agreement = relationship("Agreement", back_populates="parties")
    member = relationship("Member", lazy="joined")
    counterparty = relationship("Counterparty", lazy="joined")

    @property
    def party(self):
        return self.member or self.counterparty

    @property
    def member_key(self) -> int | None:
        """The member's id, also before the row is flushed."""
        return self.member.id if self.member is not None else self.member_id

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def audit_label(self) -> str:
        return str(self.party.name if self.party else "")
