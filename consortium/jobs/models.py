"""A job: work longer than about a second, done by a worker process for one user (or one
visitor, by a key kept in their cookie), with its progress, its outcome and its file."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.extensions import db

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
FINISHED = (DONE, FAILED, CANCELLED)


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    visitor_key_hash: Mapped[str | None] = mapped_column(String(64), index=True)  # a visitor's job (no owner)
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200), default="")  # what the user asked for, in their words
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(12), default=QUEUED, index=True)
    percent: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int] = mapped_column(default=0)  # rows written so far
    message: Mapped[str] = mapped_column(Text, default="")  # for the user: why it failed, what happened
    attempts: Mapped[int] = mapped_column(default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    file_name: Mapped[str | None] = mapped_column(String(80))  # stored name: random, never shown
    download_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # last sign of life of the worker running it
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # the file is removed then

    owner = relationship("User", lazy="joined")

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
