"""Harvest sources, their runs, and where each harvested entry came from."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.extensions import db

from .constants import PROPOSED, QUEUED
from .reasons import render, render_record


class HarvestSource(db.Model):
    """A member's own catalogue the joint map is fed from: proposed by the member's users (or
    the secretariat), approved or refused by the secretariat; only approved sources run."""

    __tablename__ = "harvest_sources"
    __audited__ = True
    __audit_ignore__ = ("last_run_at", "last_success_at")  # bookkeeping of runs (each has its report)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    schedule: Mapped[str] = mapped_column(String(10), default="manual")
    state: Mapped[str] = mapped_column(String(10), default=PROPOSED, index=True)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # field -> {source value: portal code (a list of codes for circulation modes)}
    vocabulary_maps: Mapped[dict] = mapped_column(JSON, default=dict)
    make_public: Mapped[bool] = mapped_column(default=False)  # entries it creates are public (else members only)
    archive_after: Mapped[int] = mapped_column(default=2)  # consecutive runs missing before an entry is archived
    # the source's own run time limit (minutes), at most the site's HARVEST_RUN_TIMEOUT; None: the site's
    run_timeout_minutes: Mapped[int | None]
    last_run_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("Member", lazy="joined")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def audit_label(self) -> str:
        return self.name


class HarvestRun(db.Model):
    """One run of a source (or a dry run: the preview), with its report."""

    __tablename__ = "harvest_runs"
    __table_args__ = (Index("ix_harvest_runs_source_created", "source_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id", ondelete="CASCADE"))
    dry_run: Mapped[bool] = mapped_column(default=False)
    record_limit: Mapped[int | None]  # a preview looks at the first N records
    state: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    trigger: Mapped[str] = mapped_column(String(10), default="manual")  # manual | schedule | cli
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    job_id: Mapped[int | None]
    created: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    archived: Mapped[int] = mapped_column(default=0)
    restored: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    records_seen: Mapped[int] = mapped_column(default=0)
    # why the run failed: a code of reasons.REASONS and its parameters, read in each reader's language;
    # ``message`` is the sentence runs stored before the codes (read when they have no code)
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason_params: Mapped[dict] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    # [{"remote_id", "title", "outcome", "reasons": [{"code", "params"}, ..]}]: failed records, and in a
    # preview every record; a record's reasons are codes of reasons.RECORD_REASONS (reports stored before
    # the codes hold sentences)
    details: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    source = relationship("HarvestSource", lazy="joined")

    @property
    def reason(self) -> str:
        """Why the run failed, in the current language ("" when it did not)."""
        return render(self.reason_code, self.reason_params, fallback=self.message or "")

    def records(self) -> list[dict]:
        """The report's records, each reason a sentence in the current language (``reasons``) and,
        when stored as one, its code and values (``reason_codes``; a report stored before the codes
        keeps its sentences and has none)."""
        return [{**line, "reasons": [render_record(r) for r in line.get("reasons") or []],
                 "reason_codes": [r for r in line.get("reasons") or [] if isinstance(r, dict)]}
                for line in self.details or []]

    def counts(self) -> dict:
        return {"created": self.created, "changed": self.changed, "unchanged": self.unchanged,
                "archived": self.archived, "restored": self.restored, "failed": self.failed}


class HarvestedEntry(db.Model):
    """An entry of the map fed by a source: its remote identifier, the hash of the record last
    written (an unchanged record writes nothing), and how many runs in a row missed it."""

    __tablename__ = "harvested_entries"
    __table_args__ = (UniqueConstraint("source_id", "remote_id", name="uq_harvested_entries_source_remote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("data_resources.id", ondelete="CASCADE"), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id", ondelete="CASCADE"), index=True)
    remote_id: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    fields: Mapped[list] = mapped_column(JSON, default=list)  # the entry's fields this source supplies
    first_harvested_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_at: Mapped[datetime] = mapped_column(default=utcnow)  # the last run that changed the entry
    missing_runs: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]

    source = relationship("HarvestSource", lazy="joined")
    resource = relationship("DataResource")
