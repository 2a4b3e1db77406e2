from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import local_today, utcnow
from consortium.core.entity import shown
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
    # The request's fields in the order of its form, then those of the owner's answer: part "decision"
    # (a decline's reason) and part "grant" (what the owner grants when approving), see consortium.core.entity.
    purpose: Mapped[str] = mapped_column(Text, info=shown(
        _l("Purpose of use"), max_length=2000, required=True, multiline=True,
        help=_l("What the data will be used for, by whom, and how it will be protected.")))
    scenario: Mapped[str] = mapped_column(String(200), default="", info=shown(
        _l("Application scenario"), help=_l("e.g. the seed scenario this data serves.")))
    period_start: Mapped[date | None] = mapped_column(info=shown(_l("Use from")))
    period_end: Mapped[date | None] = mapped_column(info=shown(_l("Use until")))
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="", info=shown(
        _l("Reason"), part="decision", key="reason", max_length=2000, multiline=True,
        help=_l("Required when declining; shown to the requesting member.")))
    # what the owner grants when approving
    terms: Mapped[str] = mapped_column(Text, default="", server_default="", info=shown(
        _l("Terms of use"), part="grant", max_length=4000, required=True, multiline=True,
        help=_l("Prefilled from the entry's licence and usage conditions; adjust them for this request.")))
    granted_from: Mapped[date | None] = mapped_column(info=shown(_l("Access from"), part="grant"))
    granted_until: Mapped[date | None] = mapped_column(index=True, info=shown(
        _l("Access until"), part="grant", required=True,
        help=_l("The requester is reminded before this day; the request shows as expired after it.")))
    delivery_method: Mapped[str] = mapped_column(String(20), default="", server_default="", info=shown(
        _l("Delivery"), part="grant", choices=DELIVERY_METHODS, required=True, plain=True,
        blank=_l("Choose how the data is delivered"), unknown=_l("Unknown delivery method: %(value)s")))
    delivery_space_id: Mapped[int | None] = mapped_column(ForeignKey("data_spaces.id", ondelete="SET NULL"))
    delivery_detail: Mapped[str] = mapped_column(Text, default="", server_default="", info=shown(
        _l("Delivery details"), part="grant", max_length=1000, multiline=True,
        help=_l("The API's address and how to get a key, where the files are exchanged, or how "
                "to reach the data in the data space.")))
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="", info=shown(
        _l("Contact for the requester"), part="grant", required=True,
        help=_l("A person of your organisation: name, telephone, e-mail.")))
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
