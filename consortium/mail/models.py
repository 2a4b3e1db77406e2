"""Per-person e-mail choices and the outbox: one row per message to send, under a unique key,
so a message is queued once and sent at most once whatever the retries."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db

IMMEDIATE, DAILY, WEEKLY, NONE = "immediate", "daily", "weekly", "none"
CHANNELS = Vocabulary("mail_channel", [
    Term(IMMEDIATE, "立即发送", _l("At once")),
    Term(DAILY, "每日摘要", _l("In the daily digest")),
    Term(WEEKLY, "每周摘要", _l("In the weekly digest")),
    Term(NONE, "不发邮件", _l("Not by e-mail")),
])
DIGEST = "digest.weekly"   # the preference key of the weekly digest's activity (stage changes, entries …)

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
STATES = Vocabulary("outbox_state", [
    Term(PENDING, "待发送", _l("Waiting to be sent")),
    Term(SENDING, "发送中", _l("Being sent")),
    Term(SENT, "已发送", _l("Sent")),
    Term(FAILED, "发送失败", _l("Failed")),
    Term(SKIPPED, "未发送", _l("Not sent: nothing its recipient may see")),
])
NOTIFICATION, DAILY_DIGEST, WEEKLY_DIGEST = "notification", "daily", "weekly"


class MailPreference(db.Model):
    """How one person wants one kind of notification (or the weekly digest, ``DIGEST``) by
    e-mail. No row: the default (what asks for action at once, the rest in the weekly digest)."""

    __tablename__ = "mail_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxMessage(db.Model):
    """One e-mail to one person: a notification (``notification_id``), a daily digest (``day``)
    or a weekly digest (``day``: its Monday). Composed when it is sent, from what its recipient
    may see then; ``key`` is unique, so queuing the same message twice adds nothing."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))   # NOTIFICATION, DAILY_DIGEST, WEEKLY_DIGEST
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    day: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    to_address: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    user = relationship("User")
