from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import shown
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .constants import STATUSES


def _links(value, name):
    """Attachments are links, one per line."""
    links = [x.strip() for x in value.splitlines() if x.strip()]
    bad = [x for x in links if not x.lower().startswith(("http://", "https://"))]
    if bad:
        raise DomainError(_("Attachments are links starting with http:// or https:// (one per line): %(x)s",
                            x=bad[0][:80]), field=name)
    return "\n".join(links)


class AuthorisationApplication(db.Model):
    """一场景一申请一审批: the application for authorisation to use public data in one
    replication (one scenario in one city): what is asked, of which authority, and
    how it stands. A replication keeps every application it made; at most one is
    open (submitted) or approved at a time."""

    __tablename__ = "authorisation_applications"
    __audited__ = True
    __table_args__ = (Index("ix_authorisation_applications_status_submitted", "status", "submitted_on"),)

    # The application's fields in the order of its form, and those of the two answers recorded on
    # it (part "decision": the authority's, part "withdrawal"), each in the order of its own form
    # (see consortium.core.entity).
    id: Mapped[int] = mapped_column(primary_key=True)
    replication_id: Mapped[int] = mapped_column(ForeignKey("replications.id"), index=True)
    resources: Mapped[str] = mapped_column(Text, default="", info=shown(  # the data resources requested
        _l("Data resources requested"), max_length=5000, required=True, multiline=True,
        help=_l("The entries and fields the scenario needs, one per line.")))
    scope: Mapped[str] = mapped_column(Text, default="", info=shown(  # purpose, fields, period, users
        _l("Scope of use"), max_length=5000, multiline=True,
        help=_l("Purpose, users, period, where the data is processed.")))
    authority: Mapped[str] = mapped_column(String(200), info=shown(  # who decides, e.g. 温州市数据局
        _l("Authority deciding"), required=True, help=_l("e.g. 温州市数据局")))
    decided_on: Mapped[date | None] = mapped_column(  # approved or rejected
        info=shown(_l("Decided on"), part="decision", required=True))
    reference_no: Mapped[str] = mapped_column(String(80), default="", info=shown(_l("Reference number")) | shown(
        _l("Reference number of the approval"), part="decision"))
    submitted_on: Mapped[date] = mapped_column(info=shown(_l("Submitted on"), required=True))
    attachments: Mapped[str] = mapped_column(Text, default="", info=shown(  # links, one per line
        _l("Attachments (links, one per line)"), max_length=5000, multiline=True, normalise=_links))
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    withdrawn_on: Mapped[date | None] = mapped_column(info=shown(_l("Withdrawn on"), part="withdrawal",
                                                                 required=True))
    decision_note: Mapped[str] = mapped_column(Text, default="", info=shown(  # the authority's conditions or reasons
        _l("Conditions or reasons given by the authority"), part="decision", key="note", max_length=5000,
        multiline=True) | shown(_l("Why is it withdrawn?"), part="withdrawal", key="note", max_length=2000,
                                multiline=True))
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
