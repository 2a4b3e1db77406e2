from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.extensions import db

from .constants import modes_from_mask


class DataResource(db.Model):
    """One entry of the joint city data-resource map, owned by a member (hence a city)."""

    __tablename__ = "data_resources"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("member_id", "code", name="uq_data_resources_member_code"),
        Index("ix_data_resources_city_domain", "city_id", "domain"),
        Index("ix_data_resources_updated_at_id", "updated_at", "id"),  # newest first (home page), reload
        # covers the visible-entry counts of dashboards (city × domain, openness, mode):
        # read from the index alone, never a row lookup per entry
        Index("ix_data_resources_visible_counts", "status", "city_id", "domain", "openness", "circulation_mask",
              "is_public"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))  # the member's own resource code
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(String(500), default="")  # comma separated
    domain: Mapped[str] = mapped_column(String(30), index=True)
    department: Mapped[str] = mapped_column(String(120), default="")  # 数源单位
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    licence: Mapped[str] = mapped_column(String(30), default="")  # constants.LICENCES code, "" = not stated
    usage_conditions: Mapped[str] = mapped_column(Text, default="")  # custom terms, or notes on the licence
    schema_fields: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "type", "description"}]
    sample_csv: Mapped[str] = mapped_column(Text, default="")  # a few illustrative rows, CSV with a header
    frequency: Mapped[str] = mapped_column(String(20), index=True)
    record_count: Mapped[int | None] = mapped_column(BigInteger)
    size_mb: Mapped[float | None]
    temporal_start: Mapped[date | None]
    temporal_end: Mapped[date | None]
    spatial_coverage: Mapped[str] = mapped_column(String(200), default="")
    openness: Mapped[str] = mapped_column(String(20), index=True)
    circulation_mask: Mapped[int] = mapped_column(default=0)
    registration_no: Mapped[str] = mapped_column(String(80), default="")  # 数据资产登记证书编号
    formats: Mapped[str] = mapped_column(String(200), default="")  # comma separated: CSV, XLSX, JSON …
    download_url: Mapped[str] = mapped_column(String(500), default="")  # the data file's own address, if any
    has_api: Mapped[bool] = mapped_column(default=False)
    data_updated_on: Mapped[date | None]  # when the data itself was last updated
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)  # the owner's city, kept for facets
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)  # incremental facet reload; indexed with id below

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    member = relationship("Member", lazy="joined")
    city = relationship("City", lazy="joined")

    @property
    def coverage_is_city(self) -> bool:
        """The spatial coverage names the entry's own city (青岛市 or 青岛): pages show the city, in
        the reader's language; the DCAT file its Location."""
        city = self.city
        return city is not None and (self.spatial_coverage or "").strip() in (city.name, city.name.removesuffix("市"))

    @property
    def circulation_modes(self) -> list[str]:
        return modes_from_mask(self.circulation_mask or 0)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in (self.keywords or "").replace("，", ",").replace("、", ",").split(",") if k.strip()]

    @property
    def audit_label(self) -> str:
        return f"{self.code} {self.title}"


class SearchChange(db.Model):
    """Append-only log of changes the in-memory search columns must follow: written by
    database triggers (so no writer can skip it) on every insert, update or delete of an
    entry ("W"; deletes "D" with the entry's id) and on every change of a member's, city's
    or province's names ("N"). Writers only ever append: no row is shared between them.
    On PostgreSQL ``xid`` is the writing transaction's id (readers compare it with their
    snapshot's xmin); on SQLite, where writers commit one after another, ``id`` is in commit order.
    Rows older than a day are pruned (``catalog.search.columns.prune_changes``)."""

    __tablename__ = "catalog_changes"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: SQLite readers compare max(id)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1))
    resource_id: Mapped[int | None]
    xid: Mapped[int | None] = mapped_column(BigInteger, index=True)  # PostgreSQL: the writing transaction
    # written by triggers, so the database's clock: an instant either way (timestamptz; SQLite's UTC text)
    at: Mapped[datetime] = mapped_column(server_default=func.now())  # pruning scans the (small) table hourly
