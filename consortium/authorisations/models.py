from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.extensions import db

from .constants import STATUSES


class AuthorisationApplication(db.Model):
    """一场景一申请一审批: the application for authorisation to use public data in one
    replication (one scenario in one city): what is asked, of which authority, and
    how it stands. A replication keeps every application it made; at most one is
    open (submitted) or approved at a time."""

    __tablename__ = "authorisation_applications"
    __audited__ = True
    __table_args__ = (Index("ix_authorisation_applications_status_submitted", "status", "submitted_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    replication_id: Mapped[int] = mapped_column(ForeignKey("replications.id"), index=True)
    resources: Mapped[str] = mapped_column(Text, default="")   # the data resources requested
    scope: Mapped[str] = mapped_column(Text, default="")       # purpose, fields, period, users
    authority: Mapped[str] = mapped_column(String(200))        # who decides, e.g. 温州市数据局
    reference_no: Mapped[str] = mapped_column(String(80), default="")
    attachments: Mapped[str] = mapped_column(Text, default="")  # links, one per line
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    submitted_on: Mapped[date]
    decided_on: Mapped[date | None]     # approved or rejected
    withdrawn_on: Mapped[date | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")  # the authority's conditions or reasons
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    replication = relationship("Replication", lazy="joined")

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def attachment_list(self) -> list[str]:
        return [x.strip() for x in (self.attachments or "").splitlines() if x.strip()]

    @property
    def is_open(self) -> bool:
        return self.status == "submitted"

    @property
    def audit_label(self) -> str:
        rep = self.replication
        where = f"{rep.scenario.title} · {rep.member.name}" if rep is not None else str(self.replication_id)
        return f"{where} {self.reference_no}".strip()
