from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import shown
from consortium.extensions import db

from .constants import AUDIENCES


class Dashboard(db.Model):
    """A dashboard the secretariat composes: title and intro in both languages, an
    audience, and an ordered list of panels. What the public reads are its
    publications, frozen copies of its data."""

    __tablename__ = "dashboards"
    __audited__ = True

    # What the secretariat writes, in the order of the form (see consortium.core.entity).
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info=shown(_l("Title (Chinese)"), required=True))
    title_en: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("Title (English)")))
    slug: Mapped[str] = mapped_column(String(60), unique=True,
                                      info=shown(_l("Slug (address /d/<slug>)"), required=True))
    audience: Mapped[str] = mapped_column(String(20), default="public", info=shown(
        _l("Audience"), choices=AUDIENCES, required=True, unknown=_l("Unknown audience.")))
    intro: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Introduction (Chinese)"), max_length=5000,
                                                                    multiline=True))
    intro_en: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Introduction (English)"),
                                                                       max_length=5000, multiline=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the one dashboard the home page features, chosen by the secretariat (services.feature): publishing never changes it
    is_featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    panels = relationship("DashboardPanel", back_populates="dashboard", order_by="DashboardPanel.position",
                          cascade="all, delete-orphan")
    publications = relationship("Publication", back_populates="dashboard", order_by="Publication.version")

    def display_title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title

    @property
    def audit_label(self) -> str:
        return f"{self.slug} {self.title}"


class DashboardPanel(db.Model):
    """One panel of a dashboard: a kind from the panel catalogue, its filters and caption."""

    __tablename__ = "dashboard_panels"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    dashboard_id: Mapped[int] = mapped_column(ForeignKey("dashboards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # province, group, domain, date_from, date_to
    caption: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Caption (Chinese)"), max_length=1000,
                                                                      multiline=True))
    caption_en: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Caption (English)"),
                                                                         max_length=1000, multiline=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    dashboard = relationship("Dashboard", back_populates="panels")

    @property
    def audit_label(self) -> str:
        return f"{self.kind} #{self.position}"


class Publication(db.Model):
    """A numbered, frozen record of a dashboard: everything its pages, downloads and
    API show is stored here at publishing and never re-queried. Only ``is_hidden``
    (unpublish / publish again) ever changes afterwards."""

    __tablename__ = "dashboard_publications"
    __audited__ = True
    __audit_exclude__ = {"panels"}  # the frozen data itself; the audit row names the version
    __table_args__ = (UniqueConstraint("dashboard_id", "version", name="uq_dashboard_publications_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dashboard_id: Mapped[int] = mapped_column(ForeignKey("dashboards.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    # [{kind, filters, caption, caption_en, data}]; deferred: lists and cached pages never load it
    panels: Mapped[list] = mapped_column(JSON, default=list, deferred=True)
    key_figures: Mapped[dict] = mapped_column(JSON, default=dict)
    includes_negotiations: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_label: Mapped[str] = mapped_column(String(200), default="")
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    hidden_at: Mapped[datetime | None]

    dashboard = relationship("Dashboard", back_populates="publications", lazy="joined")

    def display_title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title

    def display_intro(self, locale: str) -> str:
        return self.intro_en if locale == "en" and self.intro_en else self.intro

    @property
    def audit_label(self) -> str:
        return f"{self.dashboard.slug if self.dashboard else self.dashboard_id} v{self.version}"
