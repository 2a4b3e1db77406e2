from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consortium.extensions import db
from consortium.core.clock import utcnow


class Notification(db.Model):
    """For every user of one member: ``kind`` says what happened, ``target_type`` and
    ``target_id`` name the object it is about, ``payload`` keeps the names needed to
    read it (as they were when it was sent)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_member_id_read_at", "member_id", "read_at"),
                      Index("ix_notifications_member_id_created_at", "member_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")  # the sender's note or reason
    created_by_label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
