from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db

REQUESTABLE_OPENNESS = ("conditional", "authorised")
STATUSES = Vocabulary("access_request_status", [
    Term("pending", "等待答复", _l("Waiting for an answer")),
    Term("approved", "已同意", _l("Approved")),
    Term("declined", "已拒绝", _l("Declined")),
    Term("withdrawn", "已撤回", _l("Withdrawn by the requester")),
])


class AccessRequest(db.Model):
    """One member's request to use another member's entry (申请使用)."""

    __tablename__ = "access_requests"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("data_resources.id", ondelete="CASCADE"), index=True)
    requester_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    owner_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(Text)
    scenario: Mapped[str] = mapped_column(String(200), default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource = relationship("DataResource", lazy="joined")
    requester_member = relationship("Member", foreign_keys=[requester_member_id], lazy="joined")
    owner_member = relationship("Member", foreign_keys=[owner_member_id], lazy="joined")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def audit_label(self) -> str:
        return f"{self.requester_member.name if self.requester_member else ''} → {self.resource.title if self.resource else ''}"
