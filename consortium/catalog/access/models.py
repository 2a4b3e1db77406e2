from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import local_today, utcnow
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db

REQUESTABLE_OPENNESS = ("conditional", "authorised")
PENDING, APPROVED, DELIVERED, RECEIVED, DECLINED, WITHDRAWN, EXPIRED = (
    "pending", "approved", "delivered", "received", "declined", "withdrawn", "expired")
GRANTED = (APPROVED, DELIVERED, RECEIVED)   # access given: the period of use runs
STATUSES = Vocabulary("access_request_status", [
    Term(PENDING, "等待答复", _l("Waiting for an answer")),
    Term(APPROVED, "已同意，待交付", _l("Approved, to be delivered")),
    Term(DELIVERED, "已交付，待确认", _l("Delivered, receipt to confirm")),
    Term(RECEIVED, "已确认收到", _l("Received")),
    Term(DECLINED, "已拒绝", _l("Declined")),
    Term(WITHDRAWN, "已撤回", _l("Withdrawn by the requester")),
    Term(EXPIRED, "已到期", _l("Expired: the period of use has ended")),  # shown, never stored
])
DELIVERY_METHODS = Vocabulary("access_delivery_method", [
    Term("data_space", "可信数据空间", _l("A trusted data space in the register")),
    Term("api", "接口（API）", _l("An API")),
    Term("file_exchange", "文件交换", _l("A file exchange")),
])


class AccessRequest(db.Model):
    """One member's request to use another member's entry (申请使用): asked, answered (with
    the terms, the period and how the data is delivered), delivered, received. Its shown
    state is ``state``: a granted request whose period has ended is expired."""

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
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # what the owner grants when approving
    terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    granted_from: Mapped[date | None]
    granted_until: Mapped[date | None] = mapped_column(index=True)
    delivery_method: Mapped[str] = mapped_column(String(20), default="", server_default="")
    delivery_space_id: Mapped[int | None] = mapped_column(ForeignKey("data_spaces.id", ondelete="SET NULL"))
    delivery_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # delivery and receipt
    delivered_at: Mapped[datetime | None]
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    delivery_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    received_at: Mapped[datetime | None]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    receipt_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    reminded_on: Mapped[date | None]   # the reminder before the period ends was sent that day
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource = relationship("DataResource", lazy="joined")
    requester_member = relationship("Member", foreign_keys=[requester_member_id], lazy="joined")
    owner_member = relationship("Member", foreign_keys=[owner_member_id], lazy="joined")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    delivered_by = relationship("User", foreign_keys=[delivered_by_id])
    received_by = relationship("User", foreign_keys=[received_by_id])

    def state(self, today: date | None = None) -> str:
        """The status as shown: a granted request past its period is ``expired``."""
        if self.status in GRANTED and self.granted_until is not None and \
                self.granted_until < (today or local_today()):
            return EXPIRED
        return self.status

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTED

    @property
    def audit_label(self) -> str:
        return f"{self.requester_member.name if self.requester_member else ''} → {self.resource.title if self.resource else ''}"
